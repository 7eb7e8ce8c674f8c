/** Variable-length tails: a list of items, or raw bytes, running to the end of the enclosing struct. */
import type { Codec } from './codec';
import type { Cursor } from './cursor';
import { DecodeError, EncodeError } from './errors';
import type { ScalarField } from './fields';
import { H } from './runtime';
import { struct } from './struct';
import type { Writer } from './writer';

/** Items one after another until the end of the enclosing struct (or the size given for it). */
export function list<T>(item: Codec<T>): Codec<readonly T[]> {
  const name = `${item.name}[]`;
  return {
    name,
    fixedSize: undefined,
    tags: [],
    constantAt: () => undefined,
    decode(cur: Cursor, end: number): readonly T[] {
      const out: T[] = [];
      while (cur.pos < end) {
        const before = cur.pos;
        out.push(item.decode(cur, end));
        // A zero-length item would loop forever on hostile input; the item codecs reject it,
        // this guards codecs written by hand.
        if (cur.pos <= before) throw new DecodeError(item.name, 'item consumed no bytes', before);
      }
      return out;
    },
    encode(w: Writer, value: readonly T[]): void {
      if (!Array.isArray(value))
        throw new EncodeError(name, '(value)', `expected an array, got ${typeof value}`);
      for (const v of value) item.encode(w, v);
    },
  };
}

const restCtx = { struct: 'bytes', field: '(value)', expect: 'bytes (Buffer or hex string)' };

/** Raw bytes to the end of the enclosing struct (a view of the decoded buffer). */
export const restBytes: Codec<Buffer> = {
  name: 'bytes',
  fixedSize: undefined,
  tags: [],
  constantAt: () => undefined,
  decode(cur: Cursor, end: number): Buffer {
    const out = cur.buf.subarray(cur.pos, end);
    cur.pos = end;
    return out;
  },
  encode(w: Writer, value: Buffer): void {
    w.bytes(H.toBytes(value, restCtx));
  },
};

/** Scalars (u32 bitmaps, u16 ids, ...) one after another until the end of the enclosing struct. */
export function array<T>(scalar: ScalarField<T>): Codec<readonly T[]> {
  const items = list(struct('item', { value: scalar }) as Codec<{ readonly value: T }>);
  const name = `${scalar.expect}[]`;
  return {
    ...items,
    name,
    decode(cur: Cursor, end: number): readonly T[] {
      if ((end - cur.pos) % scalar.size !== 0) {
        throw new DecodeError(
          name,
          `${end - cur.pos} bytes is not a whole number of ${scalar.size}-byte items`,
          cur.pos,
        );
      }
      return items.decode(cur, end).map((i) => i.value);
    },
    encode(w: Writer, value: readonly T[]): void {
      if (!Array.isArray(value))
        throw new EncodeError(name, '(value)', `expected an array, got ${typeof value}`);
      items.encode(
        w,
        value.map((v) => ({ value: v })),
      );
    },
  };
}
