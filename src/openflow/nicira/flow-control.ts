/**
 * Small actions that steer processing or the flow itself: exit, fin_timeout, write_metadata
 * (the 1.0 way to set metadata) and conjunction (one clause of a conjunctive match).
 */
import { pad, struct, u8, u16, u32, u64, type ValueOf } from '../codec';
import { NXAST, nxHeader } from './nx-header';

export const nxExit = struct('nx_action_exit', { ...nxHeader(NXAST.EXIT), pad: pad(6) }, { tag: 'nx_exit' });

export const nxFinTimeout = struct(
  'nx_action_fin_timeout',
  { ...nxHeader(NXAST.FIN_TIMEOUT), finIdleTimeout: u16, finHardTimeout: u16, pad: pad(2) },
  { tag: 'nx_fin_timeout' },
);

export const nxWriteMetadata = struct(
  'nx_action_write_metadata',
  { ...nxHeader(NXAST.WRITE_METADATA), pad: pad(6), metadata: u64, mask: u64 },
  { tag: 'nx_write_metadata' },
);

/** conjunction(id, clause/nClauses): `clause` is 0-based on the wire, OVS prints it 1-based. */
export const nxConjunction = struct(
  'nx_action_conjunction',
  { ...nxHeader(NXAST.CONJUNCTION), clause: u8, nClauses: u8, id: u32 },
  { tag: 'nx_conjunction' },
);

export type NxExit = ValueOf<typeof nxExit>;
export type NxFinTimeout = ValueOf<typeof nxFinTimeout>;
export type NxWriteMetadata = ValueOf<typeof nxWriteMetadata>;
export type NxConjunction = ValueOf<typeof nxConjunction>;
