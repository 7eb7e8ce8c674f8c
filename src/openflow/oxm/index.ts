/**
 * PLACEHOLDER until the OXM work lands: generic OXM TLVs and the OpenFlow 1.3 ofp_match.
 * The export names (`ofpMatch`, `Match`, `OxmField`) are the contract other code uses.
 */
import {
  type Codec,
  type Cursor,
  DecodeError,
  length,
  list,
  struct,
  u16,
  type ValueOf,
  type Writer,
} from '../codec';

export interface OxmField {
  readonly oxmClass: number;
  readonly field: number;
  readonly value: Buffer;
  readonly mask?: Buffer;
}

export const oxmField: Codec<OxmField> = {
  name: 'oxm',
  fixedSize: undefined,
  tags: [],
  constantAt: () => undefined,
  decode(cur: Cursor, end: number): OxmField {
    const b = cur.buf;
    const p = cur.pos;
    if (p + 4 > end) throw new DecodeError('oxm', 'truncated header', p);
    const len = b[p + 3]!;
    if (p + 4 + len > end) throw new DecodeError('oxm', 'truncated value', p);
    const hasMask = (b[p + 2]! & 1) === 1;
    const half = hasMask ? len / 2 : len;
    cur.pos = p + 4 + len;
    return {
      oxmClass: (b[p]! << 8) | b[p + 1]!,
      field: b[p + 2]! >> 1,
      value: b.subarray(p + 4, p + 4 + half),
      ...(hasMask ? { mask: b.subarray(p + 4 + half, p + 4 + len) } : {}),
    };
  },
  encode(w: Writer, v: OxmField): void {
    const len = v.value.length + (v.mask?.length ?? 0);
    w.ensure(4);
    w.buf.writeUInt16BE(v.oxmClass, w.pos);
    w.buf[w.pos + 2] = (v.field << 1) | (v.mask ? 1 : 0);
    w.buf[w.pos + 3] = len;
    w.pos += 4;
    w.bytes(v.value);
    if (v.mask) w.bytes(v.mask);
  },
};

export const ofpMatch = struct('ofp_match', {
  matchType: { kind: 'constant', scalar: u16, value: 1 },
  length: length(u16, { align: 8, includePadding: false }),
  fields: list(oxmField),
});
export type Match = ValueOf<typeof ofpMatch>;
