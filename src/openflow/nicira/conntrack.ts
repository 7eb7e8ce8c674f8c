/**
 * NXAST_CT: send the packet through the connection tracker (commit, zone, recirculate to a
 * table, ALG) with nested actions that run on commit: nat, and set_field/load of ct_mark and
 * ct_label; and ct_clear.
 */
import type { Writer } from '../codec';
import { Cursor, DecodeError, EncodeError, list, pad, struct, union, type ValueOf } from '../codec';
import { setFieldAction } from '../oxm/set-field';
import { nxCustom } from './custom-action';
import { headerOf, readU16, refFromHeader, type Subfield, subfieldProblem, writeU16 } from './field-ref';
import { nxNat } from './nat';
import { NXAST, nxHeader } from './nx-header';
import { nxRegLoad, nxRegLoad2, nxRegMove } from './registers';
import { nxUnknown } from './unknown';

/** NX_CT_F_*. */
export const NX_CT_F = { COMMIT: 1, FORCE: 2 } as const;
/** recircTable value meaning "do not recirculate". */
export const NX_CT_RECIRC_NONE = 0xff;

/** Actions ct() may nest. */
export const ctNestedAction = union(
  'ct_nested_action',
  [
    setFieldAction,
    union('ct_nested_nx_action', [nxNat, nxRegLoad, nxRegLoad2, nxRegMove], {
      at: 8,
      width: 2,
      fallback: nxUnknown,
    }),
  ],
  { at: 0, width: 2 },
);
export type CtNestedAction = ValueOf<typeof ctNestedAction>;

const NAME = 'nx_action_conntrack';
const HEAD = 14;
const nested = list(ctNestedAction);

export interface CtBody {
  readonly flags: number;
  /** An immediate zone, or the subfield that holds it. */
  readonly zone: number | Subfield;
  readonly recircTable: number;
  readonly alg: number;
  readonly actions: readonly CtNestedAction[];
}

function num(field: string, x: unknown, max: number): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > max)
    throw new EncodeError(NAME, field, `expected an integer 0..${max}, got ${String(x)}`);
  return x;
}

export const nxCt = nxCustom(NAME, 'nx_ct', NXAST.CT, {
  minBody: HEAD,
  decode(b: Buffer, p: number, end: number): CtBody {
    const zoneSrc = b.readUInt32BE(p + 2);
    const zw = readU16(b, p + 6);
    let zone: number | Subfield = zw;
    if (zoneSrc !== 0) {
      zone = { field: refFromHeader(zoneSrc), ofs: zw >>> 6, nbits: (zw & 63) + 1 };
      const bad = subfieldProblem(zone.field, zone.ofs, zone.nbits);
      if (bad !== undefined) throw new DecodeError(NAME, `zone: ${bad}`, p + 2);
    }
    const cur = new Cursor(b, p + HEAD);
    const actions = nested.decode(cur, end);
    return { flags: readU16(b, p), zone, recircTable: b[p + 8]!, alg: readU16(b, p + 12), actions };
  },
  encode(w: Writer, v: CtBody): void {
    w.ensure(HEAD);
    const p = w.pos;
    const b = w.buf;
    writeU16(b, p, num('flags', v.flags, 0xffff));
    if (typeof v.zone === 'number') {
      b.writeUInt32BE(0, p + 2);
      writeU16(b, p + 6, num('zone', v.zone, 0xffff));
    } else {
      const z = v.zone;
      if (z === null || typeof z !== 'object')
        throw new EncodeError(NAME, 'zone', 'expected a number or a subfield');
      const h = headerOf(z.field, NAME, 'zone.field');
      const bad = subfieldProblem(z.field, z.ofs, z.nbits);
      if (bad !== undefined) throw new EncodeError(NAME, 'zone', bad);
      b.writeUInt32BE(h, p + 2);
      writeU16(b, p + 6, (z.ofs << 6) | (z.nbits - 1));
    }
    b[p + 8] = num('recircTable', v.recircTable, 0xff);
    b[p + 9] = 0;
    b[p + 10] = 0;
    b[p + 11] = 0;
    writeU16(b, p + 12, num('alg', v.alg, 0xffff));
    w.pos = p + HEAD;
    nested.encode(w, v.actions);
  },
});

/** ct_clear: forget the packet's conntrack state. */
export const nxCtClear = struct(
  'nx_action_ct_clear',
  { ...nxHeader(NXAST.CT_CLEAR), pad: pad(6) },
  { tag: 'nx_ct_clear' },
);

export type NxCt = ValueOf<typeof nxCt>;
export type NxCtClear = ValueOf<typeof nxCtClear>;
