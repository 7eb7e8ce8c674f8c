/** NXAST_SET_QUEUE / NXAST_POP_QUEUE: pick an egress queue, and go back to the original one. */
import { pad, struct, u32, type ValueOf } from '../codec';
import { NXAST, nxHeader } from './nx-header';

export const nxSetQueue = struct(
  'nx_action_set_queue',
  { ...nxHeader(NXAST.SET_QUEUE), pad: pad(2), queueId: u32 },
  { tag: 'nx_set_queue' },
);

export const nxPopQueue = struct(
  'nx_action_pop_queue',
  { ...nxHeader(NXAST.POP_QUEUE), pad: pad(6) },
  { tag: 'nx_pop_queue' },
);

export type NxSetQueue = ValueOf<typeof nxSetQueue>;
export type NxPopQueue = ValueOf<typeof nxPopQueue>;
