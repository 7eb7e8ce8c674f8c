/**
 * NXAST_DEC_TTL (controller id 0 gets the packet when the TTL runs out) and
 * NXAST_DEC_TTL_CNT_IDS (a list of controller ids that get it).
 */
import type { Writer } from '../codec';
import { DecodeError, EncodeError, pad, struct, type ValueOf } from '../codec';
import { nxCustom } from './custom-action';
import { readU16, writeU16 } from './field-ref';
import { NXAST, nxHeader } from './nx-header';

export const nxDecTtl = struct(
  'nx_action_dec_ttl',
  { ...nxHeader(NXAST.DEC_TTL), pad: pad(6) },
  { tag: 'nx_dec_ttl' },
);

const NAME = 'nx_action_cnt_ids';

export interface DecTtlCntIdsBody {
  readonly ids: readonly number[];
}

/** n_controllers, 4 zero bytes, then that many u16 ids, padded to 8. */
export const nxDecTtlCntIds = nxCustom(NAME, 'nx_dec_ttl_cnt_ids', NXAST.DEC_TTL_CNT_IDS, {
  minBody: 6,
  decode(b: Buffer, p: number, end: number): DecTtlCntIdsBody {
    const n = readU16(b, p);
    if (p + 6 + 2 * n > end) throw new DecodeError(NAME, `${n} controller ids do not fit the action`, p);
    if (end - (p + 6 + 2 * n) >= 8)
      throw new DecodeError(NAME, 'bytes left over after the ids', p + 6 + 2 * n);
    const ids: number[] = [];
    for (let i = 0; i < n; i++) ids.push(readU16(b, p + 6 + 2 * i));
    return { ids };
  },
  encode(w: Writer, v: DecTtlCntIdsBody): void {
    if (!Array.isArray(v.ids)) throw new EncodeError(NAME, 'ids', 'expected an array of controller ids');
    w.ensure(6 + 2 * v.ids.length);
    const b = w.buf;
    const p = w.pos;
    writeU16(b, p, v.ids.length);
    b.fill(0, p + 2, p + 6);
    v.ids.forEach((id, i) => {
      if (!Number.isInteger(id) || id < 0 || id > 0xffff)
        throw new EncodeError(NAME, `ids[${i}]`, `expected an integer 0..65535, got ${String(id)}`);
      writeU16(b, p + 6 + 2 * i, id);
    });
    w.pos = p + 6 + 2 * v.ids.length;
  },
});

export type NxDecTtl = ValueOf<typeof nxDecTtl>;
export type NxDecTtlCntIds = ValueOf<typeof nxDecTtlCntIds>;
