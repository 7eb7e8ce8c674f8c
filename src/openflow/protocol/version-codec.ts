/**
 * What the connection needs from one OpenFlow version: decode a framed message, encode a
 * message value, and the type codes it reads on raw bytes. `versionCodec()` builds one from
 * a version's message union and checks, at compile time, that the union carries the
 * messages the connection itself sends and reads (echo, features, barrier, error) in the
 * shape it expects.
 */
import { type Codec, DecodeError, decodeAll, encodeToBuffer, type Writer } from '../codec';
import { type MessageCodes, messageCodesByVersion } from './message-codes';

export interface OpenflowMessageBase {
  readonly type: string;
  readonly xid: number;
}

export interface VersionCodec<M extends OpenflowMessageBase> {
  /** Wire version (ofp_header.version): 0x01, 0x04. */
  readonly version: number;
  /** `OpenFlow 1.3`, for logs and errors. */
  readonly label: string;
  readonly codes: MessageCodes;
  /** Decodes exactly one framed message; throws DecodeError. */
  decode(frame: Buffer): M;
  /** Encodes a message of this version; throws EncodeError. */
  encode(message: M): Buffer;
  /** Appends a message's encoding to `w` (a batch being built); throws EncodeError. */
  encodeInto(w: Writer, message: M): void;
  /** True when `err` (from `decode`) means the message type itself is unknown to this version. */
  isUnknownType(err: unknown): boolean;
}

/** The messages the connection builds itself. */
export type ControlMessage =
  | { readonly type: 'echo_request'; readonly xid: number; readonly data: Buffer }
  | { readonly type: 'echo_reply'; readonly xid: number; readonly data: Buffer }
  | { readonly type: 'features_request'; readonly xid: number }
  | { readonly type: 'barrier_request'; readonly xid: number }
  | {
      readonly type: 'error';
      readonly xid: number;
      readonly errType: number;
      readonly code: number;
      readonly data: Buffer;
    };

/** The fields of a features reply the connection reads (same offsets in 1.0 and 1.3). */
export interface FeaturesReplyFields {
  readonly type: 'features_reply';
  readonly xid: number;
  readonly datapathId: bigint;
  readonly nBuffers: number;
  readonly nTables: number;
  readonly capabilities: number;
}

/** The fields of an error message the connection reads. */
export interface ErrorFields {
  readonly type: 'error';
  readonly xid: number;
  readonly errType: number;
  readonly code: number;
  readonly data: Buffer;
}

/** `M` itself when its union fits the connection, else a type naming what is missing. */
type Checked<M extends OpenflowMessageBase> = [ControlMessage] extends [M]
  ? [Extract<M, { type: 'features_reply' }>] extends [FeaturesReplyFields]
    ? [Extract<M, { type: 'error' }>] extends [ErrorFields]
      ? Codec<M>
      : 'the union has no `error` message with errType, code, data'
    : 'the union has no `features_reply` with datapathId, nBuffers, nTables, capabilities'
  : 'the union lacks one of echo_request, echo_reply, features_request, barrier_request, error';

/** A VersionCodec over a version's message union (`ofp13Message`, `ofp10Message`). */
export function versionCodec<M extends OpenflowMessageBase>(
  version: number,
  label: string,
  union: Codec<M> & Checked<M>,
): VersionCodec<M> {
  const codes = messageCodesByVersion[version];
  if (codes === undefined) throw new RangeError(`${label}: no message codes for wire version ${version}`);
  return {
    version,
    label,
    codes,
    decode: (frame) => decodeAll(union, frame),
    encode: (message) => encodeToBuffer(union, message),
    encodeInto: (w, message) => union.encode(w, message),
    // union() reports a type code no case claims as `unknown type N` at the code's offset (byte 1).
    isUnknownType: (err) =>
      err instanceof DecodeError &&
      err.struct === union.name &&
      err.offset === 1 &&
      err.detail.startsWith('unknown type'),
  };
}
