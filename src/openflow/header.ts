/**
 * ofp_header, the first 8 bytes of every message in every version, as fields to spread at
 * the head of a message declaration: version and type are constants of the declaration, the
 * length is computed, and only `xid` is part of the message value.
 */
import { constant, length, u8, u16, u32 } from './codec';

export const OFP_HEADER_SIZE = 8;

export function header<const V extends number, const T extends number>(version: V, msgType: T) {
  return {
    version: constant(u8, version),
    msgType: constant(u8, msgType),
    length: length(u16),
    xid: u32,
  } as const;
}

/** Wire versions this codebase speaks. */
export const OFP10_VERSION = 0x01;
export const OFP13_VERSION = 0x04;

/** Reads the fields of an ofp_header without decoding the body (framing, dispatch). */
export function peekHeader(
  buf: Uint8Array,
  offset = 0,
): {
  readonly version: number;
  readonly msgType: number;
  readonly length: number;
  readonly xid: number;
} {
  return {
    version: buf[offset]!,
    msgType: buf[offset + 1]!,
    length: (buf[offset + 2]! << 8) | buf[offset + 3]!,
    xid:
      ((buf[offset + 4]! << 24) | (buf[offset + 5]! << 16) | (buf[offset + 6]! << 8) | buf[offset + 7]!) >>>
      0,
  };
}
