/**
 * How Nicira actions name a field: its 32-bit NXM/OXM header (a registry name here, or the
 * raw header number when the registry does not know it), and for a bit range an offset and a
 * count, often packed as ofs_nbits = ofs << 6 | (nbits - 1).
 */
import type { Codec, Cursor, Writer } from '../codec';
import { DecodeError, EncodeError, truncated } from '../codec';
import { type FieldName, fieldByHeader, fieldByName } from '../oxm/field-registry';

// Local bindings: some CommonJS transpilers turn each use of an imported binding into a getter call.
const byName = fieldByName;
const byHeader = fieldByHeader;

/** A known field by name, or an unknown one by its 32-bit header. */
export type FieldRef = FieldName | number;

/** Bits ofs..ofs+nbits-1 of a field (bit 0 the least significant). */
export interface Subfield {
  readonly field: FieldRef;
  readonly ofs: number;
  readonly nbits: number;
}

/** The name a header decodes to: a registry name when it is that field's plain header. */
export function refFromHeader(header: number): FieldRef {
  const def = byHeader(header);
  return def !== undefined && def.header === header ? def.name : header;
}

/** The header of a field reference; throws EncodeError(struct, where) when it is neither. */
export function headerOf(ref: unknown, struct: string, where: string): number {
  if (typeof ref === 'string') {
    const def = byName(ref);
    if (def === undefined) throw new EncodeError(struct, where, `unknown field ${JSON.stringify(ref)}`);
    if (def.experimenter !== undefined)
      throw new EncodeError(
        struct,
        where,
        `${ref} has an experimenter header, which this action cannot carry`,
      );
    return def.header;
  }
  if (typeof ref === 'number' && Number.isInteger(ref) && ref >= 0 && ref <= 0xffffffff) return ref;
  throw new EncodeError(struct, where, `expected a field name or a 32-bit header, got ${String(ref)}`);
}

/** Bit width of a field reference, when known. */
export function widthOf(ref: FieldRef): number | undefined {
  if (typeof ref === 'string') return byName(ref)?.width;
  const def = byHeader(ref);
  return def !== undefined ? def.width : (ref & 0xff) * 8 || undefined;
}

/** Checks ofs/nbits (and that they fit the field); returns the error text or undefined. */
export function subfieldProblem(
  ref: FieldRef,
  ofs: unknown,
  nbits: unknown,
  maxBits = 64,
): string | undefined {
  if (typeof ofs !== 'number' || !Number.isInteger(ofs) || ofs < 0 || ofs > 1023)
    return `ofs must be an integer 0..1023, got ${String(ofs)}`;
  if (typeof nbits !== 'number' || !Number.isInteger(nbits) || nbits < 1 || nbits > maxBits)
    return `nbits must be an integer 1..${maxBits}, got ${String(nbits)}`;
  const width = widthOf(ref);
  if (width !== undefined && ofs + nbits > width)
    return `bits ${ofs}..${ofs + nbits - 1} do not fit ${typeof ref === 'string' ? ref : `0x${ref.toString(16)}`} (${width} bits)`;
  return undefined;
}

export function readU16(b: Buffer, p: number): number {
  return (b[p]! << 8) | b[p + 1]!;
}

export function writeU16(b: Buffer, p: number, v: number): void {
  b[p] = v >>> 8;
  b[p + 1] = v & 255;
}

/** ofs_nbits followed by a header (reg_load, output_reg, multipath, bundle_load). */
export function ofsNbitsThenHeader(struct: string): Codec<Subfield> {
  return {
    name: struct,
    fixedSize: 6,
    tags: [],
    constantAt: () => undefined,
    decode(cur: Cursor, end: number): Subfield {
      const b = cur.buf;
      const p = cur.pos;
      if (p + 6 > end) throw truncated(struct, p, 6, end);
      const on = readU16(b, p);
      const field = refFromHeader(b.readUInt32BE(p + 2));
      const ofs = on >>> 6;
      const nbits = (on & 63) + 1;
      const bad = subfieldProblem(field, ofs, nbits);
      if (bad !== undefined) throw new DecodeError(struct, bad, p);
      cur.pos = p + 6;
      return { field, ofs, nbits };
    },
    encode(w: Writer, v: Subfield): void {
      if (v === null || typeof v !== 'object')
        throw new EncodeError(struct, 'subfield', 'expected an object');
      const { field, ofs, nbits } = v;
      // The common case (a known field, a range inside it) costs one lookup.
      const def = typeof field === 'string' ? byName(field) : undefined;
      let header: number;
      if (
        def !== undefined &&
        def.experimenter === undefined &&
        typeof ofs === 'number' &&
        typeof nbits === 'number' &&
        ofs >= 0 &&
        nbits >= 1 &&
        nbits <= 64 &&
        ofs % 1 === 0 &&
        nbits % 1 === 0 &&
        ofs + nbits <= def.width
      ) {
        header = def.header;
      } else {
        header = headerOf(field, struct, 'field');
        const bad = subfieldProblem(field, ofs, nbits);
        if (bad !== undefined) throw new EncodeError(struct, 'subfield', bad);
      }
      w.ensure(6);
      writeU16(w.buf, w.pos, (ofs << 6) | (nbits - 1));
      w.buf.writeUInt32BE(header, w.pos + 2);
      w.pos += 6;
    },
  };
}
