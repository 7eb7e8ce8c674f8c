/** Any Nicira action subtype this codebase does not declare, kept raw so it round-trips. */
import { constant, length, restBytes, struct, u16, u32, type ValueOf } from '../codec';
import { NX_ACTION_TYPE, NX_VENDOR_ID } from './nx-header';

export const nxUnknown = struct(
  'nx_action_header',
  {
    actionType: constant(u16, NX_ACTION_TYPE),
    len: length(u16, { align: 8 }),
    vendor: constant(u32, NX_VENDOR_ID),
    subtype: u16,
    data: restBytes,
  },
  { tag: 'nx_unknown' },
);

export type NxUnknown = ValueOf<typeof nxUnknown>;
