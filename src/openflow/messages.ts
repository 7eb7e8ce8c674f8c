/**
 * Messages of every version this codebase speaks, chosen by the version byte of the header:
 * the one place that maps a wire version to its message union.
 */
import { type Codec, DecodeError, decodeAll, encodeToBuffer } from './codec';
import { OFP10_VERSION, OFP13_VERSION, peekHeader } from './header';
import { type Ofp10Message, ofp10Message } from './v10/message';
import { type Ofp13Message, ofp13Message } from './v13/message';

/** A message with the version it was (or is to be) sent in. */
export type VersionedMessage =
  | { readonly version: typeof OFP10_VERSION; readonly message: Ofp10Message }
  | { readonly version: typeof OFP13_VERSION; readonly message: Ofp13Message };

const codecs = new Map<number, Codec<unknown>>([
  [OFP10_VERSION, ofp10Message as Codec<unknown>],
  [OFP13_VERSION, ofp13Message as Codec<unknown>],
]);

/** Wire versions with a message codec, lowest first. */
export const SUPPORTED_VERSIONS: readonly number[] = [...codecs.keys()].sort((a, b) => a - b);

export function messageCodec(version: number): Codec<unknown> | undefined {
  return codecs.get(version);
}

/** Decodes one whole message (exactly `buf`), dispatching on its version byte. */
export function decodeMessage(buf: Buffer): VersionedMessage {
  if (buf.length < 8) throw new DecodeError('ofp_header', `truncated: need 8 bytes, have ${buf.length}`, 0);
  const { version } = peekHeader(buf);
  // A hello is readable whatever its version: it is how versions are negotiated.
  const codec = codecs.get(version) ?? (buf[1] === 0 ? codecs.get(OFP13_VERSION) : undefined);
  if (codec === undefined)
    throw new DecodeError('ofp_header', `unsupported version 0x${version.toString(16)}`, 0);
  return { version, message: decodeAll(codec, buf) } as VersionedMessage;
}

export function encodeMessage(m: VersionedMessage): Buffer {
  const codec = codecs.get(m.version);
  if (codec === undefined) throw new DecodeError('ofp_header', `unsupported version ${m.version}`, 0);
  return encodeToBuffer(codec, m.message);
}
