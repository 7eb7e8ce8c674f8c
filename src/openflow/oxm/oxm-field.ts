/**
 * One OXM TLV: a 4-byte header (class, field, has-mask, payload length), an experimenter id
 * when the class is 0xffff, then the value and the mask. Written by hand rather than with
 * struct(): the header's length counts only the payload, and a decode is one table lookup and
 * a read, with no per-field descriptor walk.
 */
import type { Codec, Cursor, Writer } from '../codec';
import { DecodeError, EncodeError, truncated } from '../codec';
import {
  type FieldDef,
  type FieldName,
  type FieldValue,
  fieldByExperimenter,
  fieldByHeader,
  fieldByName,
} from './field-registry';

/** A known field: its registry name, a typed value and, when the field is maskable, a mask. */
export type KnownOxmField = {
  readonly [N in FieldName]: {
    readonly field: N;
    readonly value: FieldValue<N>;
    readonly mask?: FieldValue<N> | undefined;
  };
}[FieldName];

/** A field the registry does not know, kept as raw bytes so it round-trips. */
export interface RawOxmField {
  readonly field: 'raw';
  readonly oxmClass: number;
  /** The 7-bit field number. */
  readonly oxmField: number;
  /** Present exactly when oxmClass is 0xffff (experimenter). */
  readonly experimenter?: number | undefined;
  readonly value: Buffer;
  /** The second half of the payload when the has-mask bit is set. */
  readonly mask?: Buffer | undefined;
}

export type OxmField = KnownOxmField | RawOxmField;

const NAME = 'oxm';
// Local bindings: some CommonJS transpilers turn each use of an imported binding into a getter call.
const byHeader = fieldByHeader;
const byName = fieldByName;
const byExperimenter = fieldByExperimenter;

function decodeRaw(b: Buffer, p: number, next: number, hasMask: boolean): RawOxmField {
  const oxmClass = (b[p]! << 8) | b[p + 1]!;
  const oxmField = b[p + 2]! >>> 1;
  let q = p + 4;
  let experimenter: number | undefined;
  if (oxmClass === 0xffff) {
    if (next - q < 4) throw new DecodeError(NAME, 'experimenter field shorter than its experimenter id', p);
    experimenter = b.readUInt32BE(q);
    q += 4;
  }
  const n = next - q;
  if (hasMask && n % 2 !== 0) {
    throw new DecodeError(NAME, `masked field ${oxmClass}:${oxmField} has an odd payload of ${n} bytes`, p);
  }
  const half = hasMask ? n / 2 : n;
  return {
    field: 'raw',
    oxmClass,
    oxmField,
    experimenter,
    value: b.subarray(q, q + half),
    mask: hasMask ? b.subarray(q + half, next) : undefined,
  };
}

/** Decodes the TLV at cur.pos: one header lookup (two for an experimenter field) and a read. */
function decodeOxm(cur: Cursor, end: number): OxmField {
  const b = cur.buf;
  const p = cur.pos;
  if (p + 4 > end) throw truncated(NAME, p, 4, end);
  const len = b[p + 3]!;
  const next = p + 4 + len;
  if (next > end) throw truncated(NAME, p, 4 + len, end);
  const hasMask = (b[p + 2]! & 1) === 1;
  let def = byHeader(((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8)) >>> 0);
  let q = p + 4;
  if (def === undefined && b[p] === 0xff && b[p + 1] === 0xff && len >= 4) {
    def = byExperimenter(b.readUInt32BE(q), b[p + 2]! >>> 1);
    q += 4;
  }
  cur.pos = next;
  if (def === undefined) return decodeRaw(b, p, next, hasMask);
  const size = def.kind.size;
  if (next - q !== (hasMask ? 2 * size : size)) {
    throw new DecodeError(
      NAME,
      `${def.name}: payload of ${next - q} bytes, expected ${hasMask ? 2 * size : size}`,
      p,
    );
  }
  if (hasMask && !def.maskable) throw new DecodeError(NAME, `${def.name} cannot be masked`, p);
  return {
    field: def.name,
    value: def.kind.read(b, q),
    mask: hasMask ? def.kind.read(b, q + size) : undefined,
  } as OxmField;
}

function encodeRaw(w: Writer, v: RawOxmField): void {
  const ctx = (field: string, detail: string) => new EncodeError(NAME, field, detail);
  const { oxmClass, oxmField } = v;
  if (!Number.isInteger(oxmClass) || oxmClass < 0 || oxmClass > 0xffff)
    throw ctx('oxmClass', `expected an integer 0..65535, got ${String(oxmClass)}`);
  if (!Number.isInteger(oxmField) || oxmField < 0 || oxmField > 0x7f)
    throw ctx('oxmField', `expected an integer 0..127, got ${String(oxmField)}`);
  const value = toBytes(v.value, 'value');
  const mask = v.mask === undefined ? undefined : toBytes(v.mask, 'mask');
  if (mask !== undefined && mask.length !== value.length)
    throw ctx('mask', `${mask.length} bytes, the value has ${value.length}`);
  const isExp = oxmClass === 0xffff;
  if (isExp !== (v.experimenter !== undefined))
    throw ctx('experimenter', 'is required exactly when oxmClass is 0xffff');
  const payload = (isExp ? 4 : 0) + value.length + (mask?.length ?? 0);
  if (payload > 255) throw ctx('value', `payload of ${payload} bytes exceeds 255`);
  w.ensure(4 + payload);
  const b = w.buf;
  let p = w.pos;
  b[p] = oxmClass >>> 8;
  b[p + 1] = oxmClass & 255;
  b[p + 2] = (oxmField << 1) | (mask ? 1 : 0);
  b[p + 3] = payload;
  p += 4;
  if (isExp) {
    const e = v.experimenter;
    if (!Number.isInteger(e) || e! < 0 || e! > 0xffffffff)
      throw ctx('experimenter', `expected an integer 0..4294967295, got ${String(e)}`);
    b.writeUInt32BE(e!, p);
    p += 4;
  }
  b.set(value, p);
  if (mask) b.set(mask, p + value.length);
  w.pos = p + value.length + (mask?.length ?? 0);
}

function toBytes(v: unknown, field: string): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string' && /^([0-9a-fA-F]{2})*$/.test(v)) return Buffer.from(v, 'hex');
  throw new EncodeError(NAME, field, 'expected bytes (Buffer or hex string)');
}

/** Writes a known field's TLV; `def` is the registry entry of `v.field`. */
function encodeKnown(w: Writer, def: FieldDef, value: unknown, mask: unknown): void {
  const size = def.kind.size;
  const masked = mask !== undefined;
  if (masked && !def.maskable) throw new EncodeError(NAME, def.name, 'cannot be masked');
  w.ensure(8 + 2 * size);
  const b = w.buf;
  const p = w.pos;
  const h = masked ? def.maskedHeader : def.header;
  b[p] = h >>> 24;
  b[p + 1] = (h >>> 16) & 255;
  b[p + 2] = (h >>> 8) & 255;
  b[p + 3] = h & 255;
  let q = p + 4;
  if (def.experimenter !== undefined) {
    b.writeUInt32BE(def.experimenter, q);
    q += 4;
  }
  if (!def.kind.write(b, q, value)) {
    throw new EncodeError(NAME, `${def.name}.value`, `expected ${def.kind.expect}, got ${describe(value)}`);
  }
  if (masked && !def.kind.write(b, q + size, mask)) {
    throw new EncodeError(NAME, `${def.name}.mask`, `expected ${def.kind.expect}, got ${describe(mask)}`);
  }
  w.pos = q + (masked ? 2 * size : size);
}

function describe(v: unknown): string {
  return typeof v === 'bigint' ? `${v}n` : typeof v === 'string' ? JSON.stringify(v) : String(v);
}

function encodeOxm(w: Writer, v: OxmField): void {
  if (v === null || typeof v !== 'object') throw new EncodeError(NAME, '(value)', 'expected an object');
  if (v.field === 'raw') {
    encodeRaw(w, v);
    return;
  }
  const def = byName(v.field);
  if (def === undefined) throw new EncodeError(NAME, 'field', `unknown field ${JSON.stringify(v.field)}`);
  encodeKnown(w, def, v.value, v.mask);
}

export const oxmField: Codec<OxmField> = {
  name: NAME,
  fixedSize: undefined,
  tags: [],
  constantAt: () => undefined,
  decode: decodeOxm,
  encode: encodeOxm,
};
