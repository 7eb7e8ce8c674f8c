/**
 * NXAST_LEARN: add or modify a flow from the packet being processed. Its flow_mod_specs say,
 * each, where n bits come from (a field of this packet or an immediate) and where they go (a
 * match field of the new flow, a load action in it, or an output to that port).
 */
import type { Writer } from '../codec';
import { DecodeError, EncodeError } from '../codec';
import { fitsBits, toBigInt } from '../oxm/value-kind';
import { nxCustom } from './custom-action';
import { type FieldRef, headerOf, readU16, refFromHeader, subfieldProblem, writeU16 } from './field-ref';
import { NXAST } from './nx-header';

/** A field and the bit its n bits start at. */
export interface FieldBits {
  readonly field: FieldRef;
  readonly ofs: number;
}

export interface LearnSpec {
  readonly kind: 'match' | 'load' | 'output';
  readonly nbits: number;
  /** Bits of this packet, or an immediate value. */
  readonly src: FieldBits | { readonly value: bigint };
  /** Where they go in the learned flow; absent for output. */
  readonly dst?: FieldBits | undefined;
}

export interface LearnBody {
  readonly idleTimeout: number;
  readonly hardTimeout: number;
  readonly priority: number;
  readonly cookie: bigint;
  /** NX_LEARN_F_SEND_FLOW_REM 1, DELETE_LEARNED 2, WRITE_RESULT 4. */
  readonly flags: number;
  readonly tableId: number;
  readonly finIdleTimeout: number;
  readonly finHardTimeout: number;
  readonly specs: readonly LearnSpec[];
}

const NAME = 'nx_action_learn';
const HEAD = 22;
const KINDS = ['match', 'load', 'output'] as const;
const SRC_IMMEDIATE = 1 << 13;

function immediateBytes(nbits: number): number {
  return 2 * Math.ceil(nbits / 16);
}

function decodeSpecs(b: Buffer, p: number, end: number): LearnSpec[] {
  const specs: LearnSpec[] = [];
  while (p + 2 <= end) {
    const h = readU16(b, p);
    if (h === 0) break;
    if ((h & 0xc400) !== 0)
      throw new DecodeError(NAME, `flow_mod_spec header 0x${h.toString(16)} has reserved bits`, p);
    const nbits = h & 0x3ff;
    const dstType = (h >>> 11) & 3;
    if (nbits === 0) throw new DecodeError(NAME, 'flow_mod_spec with 0 bits', p);
    if (dstType === 3) throw new DecodeError(NAME, 'flow_mod_spec with the reserved destination type 3', p);
    const kind = KINDS[dstType]!;
    p += 2;
    let src: LearnSpec['src'];
    if (h & SRC_IMMEDIATE) {
      const n = immediateBytes(nbits);
      if (p + n > end) throw new DecodeError(NAME, 'flow_mod_spec immediate runs past the end', p);
      let value = 0n;
      for (let i = 0; i < n; i++) value = (value << 8n) | BigInt(b[p + i]!);
      if (!fitsBits(value, nbits))
        throw new DecodeError(NAME, `flow_mod_spec immediate has bits set beyond its ${nbits} bits`, p);
      src = { value };
      p += n;
    } else {
      if (p + 6 > end) throw new DecodeError(NAME, 'flow_mod_spec source runs past the end', p);
      src = { field: refFromHeader(b.readUInt32BE(p)), ofs: readU16(b, p + 4) };
      const bad = subfieldProblem(src.field, src.ofs, nbits, 0x3ff);
      if (bad !== undefined) throw new DecodeError(NAME, `flow_mod_spec source: ${bad}`, p);
      p += 6;
    }
    let dst: FieldBits | undefined;
    if (kind !== 'output') {
      if (p + 6 > end) throw new DecodeError(NAME, 'flow_mod_spec destination runs past the end', p);
      dst = { field: refFromHeader(b.readUInt32BE(p)), ofs: readU16(b, p + 4) };
      const bad = subfieldProblem(dst.field, dst.ofs, nbits, 0x3ff);
      if (bad !== undefined) throw new DecodeError(NAME, `flow_mod_spec destination: ${bad}`, p);
      p += 6;
    }
    specs.push(dst === undefined ? { kind, nbits, src } : { kind, nbits, src, dst });
  }
  // What follows the last spec is padding (and the zero header that ends the list).
  for (let q = p; q < end; q++) {
    if (b[q] !== 0) throw new DecodeError(NAME, 'non-zero bytes after the last flow_mod_spec', q);
  }
  return specs;
}

function encodeSpec(w: Writer, s: LearnSpec, i: number): void {
  const at = `specs[${i}]`;
  if (s === null || typeof s !== 'object') throw new EncodeError(NAME, at, 'expected a flow_mod_spec');
  const dstType = KINDS.indexOf(s.kind);
  if (dstType < 0)
    throw new EncodeError(NAME, `${at}.kind`, `expected match, load or output, got ${String(s.kind)}`);
  if (!Number.isInteger(s.nbits) || s.nbits < 1 || s.nbits > 0x3ff)
    throw new EncodeError(NAME, `${at}.nbits`, `expected an integer 1..1023, got ${String(s.nbits)}`);
  const src = s.src as Partial<FieldBits> & { value?: unknown };
  if (src === null || typeof src !== 'object')
    throw new EncodeError(NAME, `${at}.src`, 'expected a field or a value');
  const immediate = src.field === undefined;
  w.ensure(2);
  writeU16(w.buf, w.pos, s.nbits | (dstType << 11) | (immediate ? SRC_IMMEDIATE : 0));
  w.pos += 2;
  if (immediate) {
    const value = toBigInt(src.value, s.nbits);
    if (value === undefined)
      throw new EncodeError(NAME, `${at}.src.value`, `expected an integer that fits ${s.nbits} bits`);
    const n = immediateBytes(s.nbits);
    w.ensure(n);
    for (let k = n - 1, v = value; k >= 0; k--, v >>= 8n) w.buf[w.pos + k] = Number(v & 0xffn);
    w.pos += n;
  } else {
    writeFieldBits(w, src as FieldBits, s.nbits, `${at}.src`);
  }
  if (dstType !== 2) {
    if (s.dst === undefined) throw new EncodeError(NAME, `${at}.dst`, `a ${s.kind} spec needs a destination`);
    writeFieldBits(w, s.dst, s.nbits, `${at}.dst`);
  } else if (s.dst !== undefined) {
    throw new EncodeError(NAME, `${at}.dst`, 'an output spec has no destination');
  }
}

function writeFieldBits(w: Writer, f: FieldBits, nbits: number, at: string): void {
  const header = headerOf(f.field, NAME, `${at}.field`);
  const bad = subfieldProblem(f.field, f.ofs, nbits, 0x3ff);
  if (bad !== undefined) throw new EncodeError(NAME, at, bad);
  w.ensure(6);
  w.buf.writeUInt32BE(header, w.pos);
  writeU16(w.buf, w.pos + 4, f.ofs);
  w.pos += 6;
}

export const nxLearn = nxCustom(NAME, 'nx_learn', NXAST.LEARN, {
  minBody: HEAD,
  decode(b: Buffer, p: number, end: number): LearnBody {
    return {
      idleTimeout: readU16(b, p),
      hardTimeout: readU16(b, p + 2),
      priority: readU16(b, p + 4),
      cookie: b.readBigUInt64BE(p + 6),
      flags: readU16(b, p + 14),
      tableId: b[p + 16]!,
      finIdleTimeout: readU16(b, p + 18),
      finHardTimeout: readU16(b, p + 20),
      specs: decodeSpecs(b, p + HEAD, end),
    };
  },
  encode(w: Writer, v: LearnBody): void {
    const num = (field: keyof LearnBody, max: number): number => {
      const x = v[field];
      if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > max)
        throw new EncodeError(NAME, field, `expected an integer 0..${max}, got ${String(x)}`);
      return x;
    };
    const cookie = toBigInt(v.cookie, 64);
    if (cookie === undefined) throw new EncodeError(NAME, 'cookie', 'expected an integer 0..2^64-1');
    if (!Array.isArray(v.specs)) throw new EncodeError(NAME, 'specs', 'expected an array of flow_mod_specs');
    w.ensure(HEAD);
    const b = w.buf;
    const p = w.pos;
    writeU16(b, p, num('idleTimeout', 0xffff));
    writeU16(b, p + 2, num('hardTimeout', 0xffff));
    writeU16(b, p + 4, num('priority', 0xffff));
    b.writeBigUInt64BE(cookie, p + 6);
    writeU16(b, p + 14, num('flags', 0xffff));
    b[p + 16] = num('tableId', 0xff);
    b[p + 17] = 0;
    writeU16(b, p + 18, num('finIdleTimeout', 0xffff));
    writeU16(b, p + 20, num('finHardTimeout', 0xffff));
    w.pos = p + HEAD;
    v.specs.forEach((s, i) => {
      encodeSpec(w, s, i);
    });
  },
});
