/**
 * The OpenFlow versions the connection speaks: wire version → message codec. Adding a
 * version is one line here; the hello then offers it and negotiation may pick it.
 */
import { OFP10_VERSION, OFP13_VERSION } from '../header';
import { ofp10Message } from '../v10/message';
import { ofp13Message } from '../v13/message';
import { type VersionCodec, versionCodec } from './version-codec';

export const openflowCodecs = {
  [OFP10_VERSION]: versionCodec(OFP10_VERSION, 'OpenFlow 1.0', ofp10Message),
  [OFP13_VERSION]: versionCodec(OFP13_VERSION, 'OpenFlow 1.3', ofp13Message),
} as const;

/** A wire version with a registered codec. */
export type OpenflowVersion = keyof typeof openflowCodecs;

type MessageOf<C> = C extends VersionCodec<infer M> ? M : never;

/** A message of any registered version (narrow by the connection's `version`). */
export type OpenflowMessage = MessageOf<(typeof openflowCodecs)[OpenflowVersion]>;

/** The tag of any message of any registered version: `packet_in`, `port_status`, ... */
export type OpenflowMessageType = OpenflowMessage['type'];

/** Registered wire versions, lowest first. */
export const supportedVersions: readonly OpenflowVersion[] = Object.keys(openflowCodecs)
  .map(Number)
  .sort((a, b) => a - b) as OpenflowVersion[];

export function codecFor(version: number): VersionCodec<OpenflowMessage> | undefined {
  return (openflowCodecs as Readonly<Record<number, VersionCodec<OpenflowMessage>>>)[version];
}

export function isSupportedVersion(version: number): version is OpenflowVersion {
  return Object.hasOwn(openflowCodecs, version);
}

/** `OpenFlow 1.3` for 0x04, `OpenFlow 1.0` for 0x01, `wire version N` otherwise. */
export function versionLabel(version: number): string {
  const known: Readonly<Record<number, string>> = {
    1: 'OpenFlow 1.0',
    2: 'OpenFlow 1.1',
    3: 'OpenFlow 1.2',
    4: 'OpenFlow 1.3',
    5: 'OpenFlow 1.4',
    6: 'OpenFlow 1.5',
  };
  return known[version] ?? `wire version ${version}`;
}
