/**
 * nxCustom(): a Nicira action whose body a struct declaration cannot express (counts that
 * are not sizes, optional fields chosen by flags, lists ended by a zero header). The header,
 * length, padding to 8 and the type codes the action unions dispatch on are handled here,
 * once; each action supplies only its body's decoder and encoder.
 */
import type { Codec, Cursor, Writer } from '../codec';
import { DecodeError, EncodeError, truncated } from '../codec';
import { NX_ACTION_TYPE, NX_HEADER_SIZE, NX_VENDOR_ID } from './nx-header';

export interface NxBody<B> {
  /** Bytes the body takes at least (after the 10-byte header). */
  readonly minBody: number;
  /** Reads the body from p to end (end includes the padding to 8). */
  decode(b: Buffer, p: number, end: number): B;
  /** Appends the body; the caller pads to 8 and writes the length. */
  encode(w: Writer, v: B): void;
}

export function nxCustom<const Tag extends string, B extends object>(
  name: string,
  tag: Tag,
  subtype: number,
  body: NxBody<B>,
): Codec<{ readonly type: Tag } & B> {
  const min = (NX_HEADER_SIZE + body.minBody + 7) & ~7;
  return {
    name,
    fixedSize: undefined,
    tags: [tag],
    constantAt(offset, width) {
      if (offset === 0 && width === 2) return NX_ACTION_TYPE;
      if (offset === 4 && width === 4) return NX_VENDOR_ID;
      if (offset === 8 && width === 2) return subtype;
      return undefined;
    },
    decode(cur: Cursor, end: number) {
      const b = cur.buf;
      const p = cur.pos;
      if (p + NX_HEADER_SIZE > end) throw truncated(name, p, NX_HEADER_SIZE, end);
      const type = readU16(b, p);
      const len = readU16(b, p + 2);
      if (type !== NX_ACTION_TYPE)
        throw new DecodeError(name, `type must be ${NX_ACTION_TYPE}, is ${type}`, p);
      if (b.readUInt32BE(p + 4) !== NX_VENDOR_ID) throw new DecodeError(name, 'vendor is not Nicira', p + 4);
      if (readU16(b, p + 8) !== subtype) throw new DecodeError(name, `subtype must be ${subtype}`, p + 8);
      if (len < min) throw new DecodeError(name, `length ${len} is less than the minimum ${min}`, p);
      if (len % 8 !== 0) throw new DecodeError(name, `length ${len} is not a multiple of 8`, p);
      if (p + len > end)
        throw new DecodeError(name, `length ${len} runs past the end (${end - p} bytes left)`, p);
      const value = body.decode(b, p + NX_HEADER_SIZE, p + len);
      cur.pos = p + len;
      return { type: tag, ...value };
    },
    encode(w: Writer, v: { readonly type: Tag } & B) {
      if (v === null || typeof v !== 'object') throw new EncodeError(name, '(value)', 'expected an object');
      const start = w.pos;
      w.ensure(NX_HEADER_SIZE);
      const b = w.buf;
      writeU16(b, start, NX_ACTION_TYPE);
      b.writeUInt32BE(NX_VENDOR_ID, start + 4);
      writeU16(b, start + 8, subtype);
      w.pos = start + NX_HEADER_SIZE;
      body.encode(w, v);
      const len = w.pos - start;
      const padded = Math.max(min, (len + 7) & ~7);
      if (padded > len) w.zeros(padded - len);
      if (padded > 0xffff) throw new EncodeError(name, '(length)', `${padded} bytes exceed 65535`);
      writeU16(w.buf, start + 2, padded);
    },
  };
}

function readU16(b: Buffer, p: number): number {
  return (b[p]! << 8) | b[p + 1]!;
}

function writeU16(b: Buffer, p: number, v: number): void {
  b[p] = v >>> 8;
  b[p + 1] = v & 255;
}
