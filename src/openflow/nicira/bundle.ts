/**
 * NXAST_BUNDLE (output to one live member of a port list) and NXAST_BUNDLE_LOAD (store the
 * chosen member in a subfield instead).
 */
import type { Writer } from '../codec';
import { DecodeError, EncodeError } from '../codec';
import { nxCustom } from './custom-action';
import { headerOf, readU16, refFromHeader, type Subfield, subfieldProblem, writeU16 } from './field-ref';
import { NXAST } from './nx-header';

/** NX_BD_ALG_*. */
export const NX_BD_ALG = { ACTIVE_BACKUP: 0, HRW: 1 } as const;

export interface BundleBody {
  readonly algorithm: number;
  /** NX_HASH_FIELDS_*. */
  readonly fields: number;
  readonly basis: number;
  /** The header of the field the members are (NXM_OF_IN_PORT: 0x00000002). */
  readonly memberType: number;
  readonly members: readonly number[];
}

export interface BundleLoadBody extends BundleBody {
  readonly dst: Subfield;
}

const HEAD = 22;

function decodeBundle(name: string, b: Buffer, p: number, end: number): BundleLoadBody {
  const n = readU16(b, p + 10);
  const on = readU16(b, p + 12);
  const header = b.readUInt32BE(p + 14);
  if (p + HEAD + 2 * n > end) throw new DecodeError(name, `${n} members do not fit the action`, p + 10);
  if (end - (p + HEAD + 2 * n) >= 8)
    throw new DecodeError(name, 'bytes left over after the members', p + HEAD);
  const members: number[] = [];
  for (let i = 0; i < n; i++) members.push(readU16(b, p + HEAD + 2 * i));
  const dst = { field: refFromHeader(header), ofs: on >>> 6, nbits: (on & 63) + 1 };
  return {
    algorithm: readU16(b, p),
    fields: readU16(b, p + 2),
    basis: readU16(b, p + 4),
    memberType: b.readUInt32BE(p + 6),
    members,
    dst,
  };
}

function encodeBundle(name: string, w: Writer, v: BundleBody, dst: Subfield | undefined): void {
  const num = (field: string, x: unknown, max: number): number => {
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > max)
      throw new EncodeError(name, field, `expected an integer 0..${max}, got ${String(x)}`);
    return x;
  };
  if (!Array.isArray(v.members)) throw new EncodeError(name, 'members', 'expected an array of ports');
  let header = 0;
  let ofsNbits = 0;
  if (dst !== undefined) {
    if (dst === null || typeof dst !== 'object') throw new EncodeError(name, 'dst', 'expected a subfield');
    header = headerOf(dst.field, name, 'dst.field');
    const bad = subfieldProblem(dst.field, dst.ofs, dst.nbits);
    if (bad !== undefined) throw new EncodeError(name, 'dst', bad);
    ofsNbits = (dst.ofs << 6) | (dst.nbits - 1);
  }
  w.ensure(HEAD + 2 * v.members.length);
  const b = w.buf;
  const p = w.pos;
  writeU16(b, p, num('algorithm', v.algorithm, 0xffff));
  writeU16(b, p + 2, num('fields', v.fields, 0xffff));
  writeU16(b, p + 4, num('basis', v.basis, 0xffff));
  b.writeUInt32BE(num('memberType', v.memberType, 0xffffffff), p + 6);
  writeU16(b, p + 10, v.members.length);
  writeU16(b, p + 12, ofsNbits);
  b.writeUInt32BE(header, p + 14);
  b.fill(0, p + 18, p + 22);
  v.members.forEach((m, i) => {
    writeU16(b, p + HEAD + 2 * i, num(`members[${i}]`, m, 0xffff));
  });
  w.pos = p + HEAD + 2 * v.members.length;
}

const BUNDLE = 'nx_action_bundle';

export const nxBundle = nxCustom(BUNDLE, 'nx_bundle', NXAST.BUNDLE, {
  minBody: HEAD,
  decode(b: Buffer, p: number, end: number): BundleBody {
    const { dst: _dst, ...rest } = decodeBundle(BUNDLE, b, p, end);
    return rest;
  },
  encode: (w: Writer, v: BundleBody) => encodeBundle(BUNDLE, w, v, undefined),
});

export const nxBundleLoad = nxCustom('nx_action_bundle_load', 'nx_bundle_load', NXAST.BUNDLE_LOAD, {
  minBody: HEAD,
  decode(b: Buffer, p: number, end: number): BundleLoadBody {
    const v = decodeBundle('nx_action_bundle_load', b, p, end);
    const bad = subfieldProblem(v.dst.field, v.dst.ofs, v.dst.nbits);
    if (bad !== undefined) throw new DecodeError('nx_action_bundle_load', bad, p + 12);
    return v;
  },
  encode: (w: Writer, v: BundleLoadBody) => encodeBundle('nx_action_bundle_load', w, v, v.dst),
});
