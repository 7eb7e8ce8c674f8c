/** NXAST_MULTIPATH: hash fields of the flow, pick a link 0..maxLink, store it in a subfield. */
import { pad, struct, u16, u32, type ValueOf } from '../codec';
import { ofsNbitsThenHeader } from './field-ref';
import { NXAST, nxHeader } from './nx-header';

/** NX_HASH_FIELDS_*: which fields feed the hash. */
export const NX_HASH_FIELDS = {
  ETH_SRC: 0,
  SYMMETRIC_L4: 1,
  SYMMETRIC_L3L4: 2,
  SYMMETRIC_L3L4_UDP: 3,
  NW_SRC: 4,
  NW_DST: 5,
  SYMMETRIC_L3: 6,
} as const;

/** NX_MP_ALG_*: how a hash maps to a link. */
export const NX_MP_ALG = { MODULO_N: 0, HASH_THRESHOLD: 1, HRW: 2, ITER_HASH: 3 } as const;

export const nxMultipath = struct(
  'nx_action_multipath',
  {
    ...nxHeader(NXAST.MULTIPATH),
    fields: u16,
    basis: u16,
    pad: pad(2),
    algorithm: u16,
    maxLink: u16,
    arg: u32,
    pad2: pad(2),
    dst: ofsNbitsThenHeader('nx_action_multipath'),
  },
  { tag: 'nx_multipath' },
);

export type NxMultipath = ValueOf<typeof nxMultipath>;
