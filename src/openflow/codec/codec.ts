import { Cursor } from './cursor';
import { DecodeError } from './errors';
import { Writer } from './writer';

/**
 * A wire codec for values of type T: the one declaration a struct's type, decoder and
 * encoder come from (see struct.ts, union.ts, list.ts).
 */
export interface Codec<T> {
  /** The struct's name as the spec spells it, e.g. "ofp_action_output"; used in errors. */
  readonly name: string;
  /** Size in bytes when every value encodes to the same size, else undefined. */
  readonly fixedSize: number | undefined;
  /** Reads one value at `cur.pos`, never past `end`, and leaves `cur.pos` after it. */
  decode(cur: Cursor, end: number): T;
  /** Appends the value's encoding to `w`. */
  encode(w: Writer, value: T): void;
  /**
   * The number this codec always writes in the `width` bytes at `offset` (a type code),
   * if any; unions dispatch on it.
   */
  constantAt(offset: number, width: number): number | undefined;
  /** The `type` discriminants of the values it encodes (one for a tagged struct). */
  readonly tags: readonly string[];
}

/** The value type a codec reads and writes. */
export type ValueOf<C> = C extends Codec<infer T> ? T : never;

/** Decodes exactly the whole of `buf` (from `offset`): trailing bytes are an error. */
export function decodeAll<T>(codec: Codec<T>, buf: Buffer, offset = 0): T {
  const cur = new Cursor(buf, offset);
  const value = codec.decode(cur, buf.length);
  if (cur.pos !== buf.length) {
    throw new DecodeError(codec.name, `${buf.length - cur.pos} trailing bytes`, cur.pos);
  }
  return value;
}

const shared = new Writer(4096);

/** Encodes one value into a fresh buffer of exactly its size. */
export function encodeToBuffer<T>(codec: Codec<T>, value: T): Buffer {
  shared.reset();
  try {
    codec.encode(shared, value);
    return shared.toBuffer();
  } finally {
    // A huge message must not pin a huge buffer for the life of the process.
    if (shared.buf.length > 1 << 20) shared.buf = Buffer.allocUnsafe(4096);
  }
}
