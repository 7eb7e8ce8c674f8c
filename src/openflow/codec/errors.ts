/** Errors of the wire codec: each names the struct and the byte offset (decode) or field (encode). */

/** Bytes that are not a valid instance of the struct being read. */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  constructor(
    /** The struct being read, e.g. "ofp_flow_mod". */
    readonly struct: string,
    /** What is wrong, without the context. */
    readonly detail: string,
    /** Offset into the buffer being decoded where it went wrong. */
    readonly offset: number,
  ) {
    super(`${struct}: ${detail} (at byte ${offset})`);
  }
}

/** A value that cannot be written as the struct it claims to be. */
export class EncodeError extends Error {
  override readonly name = 'EncodeError';
  constructor(
    readonly struct: string,
    /** The field (or dotted path) whose value is wrong. */
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${struct}.${field}: ${detail}`);
  }
}

export function truncated(struct: string, offset: number, need: number, end: number): DecodeError {
  return new DecodeError(struct, `truncated: need ${need} bytes, have ${Math.max(0, end - offset)}`, offset);
}
