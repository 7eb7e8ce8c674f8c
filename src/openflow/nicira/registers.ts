/**
 * Loading and copying field bits: NXAST_REG_LOAD (an immediate into a subfield),
 * NXAST_REG_LOAD2 (an OXM TLV, optionally masked: OVS's set_field/load for any field), and
 * NXAST_REG_MOVE (bits of one field into another).
 */
import type { Writer } from '../codec';
import { DecodeError, EncodeError, pad, struct, u16, u64, type ValueOf } from '../codec';
import { oxmField } from '../oxm/oxm-field';
import { fitsBits, toBigInt } from '../oxm/value-kind';
import { nxCustom } from './custom-action';
import {
  headerOf,
  ofsNbitsThenHeader,
  readU16,
  refFromHeader,
  type Subfield,
  subfieldProblem,
  writeU16,
} from './field-ref';
import { NXAST, nxHeader } from './nx-header';

const regLoad = struct(
  'nx_action_reg_load',
  { ...nxHeader(NXAST.REG_LOAD), dst: ofsNbitsThenHeader('nx_action_reg_load'), value: u64 },
  { tag: 'nx_reg_load' },
);

/** load:VALUE->DST[ofs..ofs+nbits-1]; the value must fit nbits (OVS rejects it otherwise). */
export const nxRegLoad: typeof regLoad = {
  ...regLoad,
  decode(cur, end) {
    const at = cur.pos;
    const v = regLoad.decode(cur, end);
    if (!fitsBits(v.value, v.dst.nbits))
      throw new DecodeError(
        regLoad.name,
        `value 0x${v.value.toString(16)} does not fit ${v.dst.nbits} bits`,
        at + 16,
      );
    return v;
  },
  encode(w, v) {
    const nbits = (v as { dst?: { nbits?: unknown } } | null)?.dst?.nbits;
    if (
      typeof nbits === 'number' &&
      toBigInt(v.value, nbits) === undefined &&
      toBigInt(v.value, 64) !== undefined
    )
      throw new EncodeError(regLoad.name, 'value', `${String(v.value)} does not fit ${nbits} bits`);
    regLoad.encode(w, v);
  },
};

/** set_field:VALUE[/MASK]->FIELD as one OXM TLV, padded to 8. */
export const nxRegLoad2 = struct(
  'nx_action_reg_load2',
  { ...nxHeader(NXAST.REG_LOAD2), field: oxmField },
  { tag: 'nx_reg_load2' },
);

export interface RegMoveBody {
  readonly src: Subfield;
  readonly dst: Subfield;
}

const MOVE = 'nx_action_reg_move';

/** move:SRC[..]->DST[..]: n_bits, src_ofs, dst_ofs, src header, dst header. */
export const nxRegMove = nxCustom(MOVE, 'nx_reg_move', NXAST.REG_MOVE, {
  minBody: 14,
  decode(b: Buffer, p: number): RegMoveBody {
    const nbits = readU16(b, p);
    const src = { field: refFromHeader(b.readUInt32BE(p + 6)), ofs: readU16(b, p + 2), nbits };
    const dst = { field: refFromHeader(b.readUInt32BE(p + 10)), ofs: readU16(b, p + 4), nbits };
    const bad =
      subfieldProblem(src.field, src.ofs, nbits, 0xffff) ??
      subfieldProblem(dst.field, dst.ofs, nbits, 0xffff);
    if (bad !== undefined) throw new DecodeError(MOVE, bad, p);
    return { src, dst };
  },
  encode(w: Writer, v: RegMoveBody): void {
    const { src, dst } = v;
    if (src === null || typeof src !== 'object' || dst === null || typeof dst !== 'object')
      throw new EncodeError(MOVE, 'src', 'src and dst must be subfields');
    const sh = headerOf(src.field, MOVE, 'src.field');
    const dh = headerOf(dst.field, MOVE, 'dst.field');
    const bad =
      subfieldProblem(src.field, src.ofs, src.nbits, 0xffff) ??
      subfieldProblem(dst.field, dst.ofs, dst.nbits, 0xffff);
    if (bad !== undefined) throw new EncodeError(MOVE, 'src', bad);
    if (src.nbits !== dst.nbits)
      throw new EncodeError(MOVE, 'dst.nbits', `${dst.nbits} differs from src.nbits ${src.nbits}`);
    w.ensure(14);
    const b = w.buf;
    const p = w.pos;
    writeU16(b, p, src.nbits);
    writeU16(b, p + 2, src.ofs);
    writeU16(b, p + 4, dst.ofs);
    b.writeUInt32BE(sh, p + 6);
    b.writeUInt32BE(dh, p + 10);
    w.pos = p + 14;
  },
});

/** output:SRC[..] — to the port a register holds. */
export const nxOutputReg = struct(
  'nx_action_output_reg',
  {
    ...nxHeader(NXAST.OUTPUT_REG),
    src: ofsNbitsThenHeader('nx_action_output_reg'),
    maxLen: u16,
    pad: pad(6),
  },
  { tag: 'nx_output_reg' },
);

export interface OutputReg2Body {
  readonly src: Subfield;
  readonly maxLen: number;
}

const OUT2 = 'nx_action_output_reg2';

/** output_reg2: ofs_nbits, max_len, then the source header (OXM style), padded. */
export const nxOutputReg2 = nxCustom(OUT2, 'nx_output_reg2', NXAST.OUTPUT_REG2, {
  minBody: 8,
  decode(b: Buffer, p: number, end: number): OutputReg2Body {
    const on = readU16(b, p);
    const maxLen = readU16(b, p + 2);
    const header = b.readUInt32BE(p + 4);
    if (header >>> 16 === 0xffff && end - p < 12)
      throw new DecodeError(OUT2, 'experimenter header truncated', p + 4);
    const field = refFromHeader(header);
    const src = { field, ofs: on >>> 6, nbits: (on & 63) + 1 };
    const bad = subfieldProblem(field, src.ofs, src.nbits);
    if (bad !== undefined) throw new DecodeError(OUT2, bad, p);
    return { src, maxLen };
  },
  encode(w: Writer, v: OutputReg2Body): void {
    const src = v.src;
    if (src === null || typeof src !== 'object') throw new EncodeError(OUT2, 'src', 'expected a subfield');
    const h = headerOf(src.field, OUT2, 'src.field');
    const bad = subfieldProblem(src.field, src.ofs, src.nbits);
    if (bad !== undefined) throw new EncodeError(OUT2, 'src', bad);
    if (!Number.isInteger(v.maxLen) || v.maxLen < 0 || v.maxLen > 0xffff)
      throw new EncodeError(OUT2, 'maxLen', `expected an integer 0..65535, got ${String(v.maxLen)}`);
    w.ensure(8);
    writeU16(w.buf, w.pos, (src.ofs << 6) | (src.nbits - 1));
    writeU16(w.buf, w.pos + 2, v.maxLen);
    w.buf.writeUInt32BE(h, w.pos + 4);
    w.pos += 8;
  },
});

export type NxRegLoad = ValueOf<typeof nxRegLoad>;
export type NxRegLoad2 = ValueOf<typeof nxRegLoad2>;
export type NxRegMove = ValueOf<typeof nxRegMove>;
export type NxOutputReg = ValueOf<typeof nxOutputReg>;
export type NxOutputReg2 = ValueOf<typeof nxOutputReg2>;
