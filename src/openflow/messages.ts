/**
 * Messages of every registered version, chosen by the version byte of the header (for tools
 * such as `vlcp-ts ofp decode`); the registry itself is `protocol/versions.ts`.
 */
import { DecodeError } from './codec';
import { OFP13_VERSION, peekHeader } from './header';
import { codecFor, type OpenflowVersion } from './protocol/versions';
import type { Ofp10Message } from './v10/message';
import type { Ofp13Message } from './v13/message';

/** A message with the version it was (or is to be) sent in. */
export type VersionedMessage =
  | { readonly version: 0x01; readonly message: Ofp10Message }
  | { readonly version: 0x04; readonly message: Ofp13Message };

/** Decodes one whole message (exactly `buf`), dispatching on its version byte. */
export function decodeMessage(buf: Buffer): VersionedMessage {
  if (buf.length < 8) throw new DecodeError('ofp_header', `truncated: need 8 bytes, have ${buf.length}`, 0);
  const { version, msgType } = peekHeader(buf);
  // A hello is readable whatever its version: it is how versions are negotiated.
  const codec = codecFor(version) ?? (msgType === 0 ? codecFor(OFP13_VERSION) : undefined);
  if (codec === undefined)
    throw new DecodeError('ofp_header', `unsupported version 0x${version.toString(16)}`, 0);
  return { version: version as OpenflowVersion, message: codec.decode(buf) } as VersionedMessage;
}

export function encodeMessage(m: VersionedMessage): Buffer {
  const codec = codecFor(m.version);
  if (codec === undefined) throw new DecodeError('ofp_header', `unsupported version ${m.version}`, 0);
  return codec.encode(m.message);
}
