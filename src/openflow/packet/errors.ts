/** Errors raised while parsing or building packets; each names the protocol and the byte offset. */

export class PacketError extends Error {
  override readonly name = 'PacketError';
  constructor(
    /** Protocol whose header was being read or written, e.g. "ipv4". */
    readonly protocol: string,
    /** What is wrong, without the context. */
    readonly detail: string,
    /** Offset from the start of that protocol's header where it went wrong. */
    readonly offset: number,
  ) {
    super(`${protocol}: ${detail} (at byte ${offset})`);
  }
}

/** Throws a PacketError unless `need` bytes are available from `offset`. */
export function requireBytes(protocol: string, buf: Uint8Array, offset: number, need: number): void {
  if (buf.length - offset < need) {
    throw new PacketError(
      protocol,
      `truncated: need ${need} bytes, have ${Math.max(0, buf.length - offset)}`,
      offset,
    );
  }
}
