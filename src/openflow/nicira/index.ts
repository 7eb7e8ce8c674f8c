/**
 * PLACEHOLDER until the Nicira work lands: any Nicira extension action as raw data. The
 * export names (`nxAction`, `NxAction`) are the contract: a codec whose cases all have type
 * 0xffff at byte 0 and vendor 0x00002320 at byte 4, to sit in an action union.
 */
import { constant, length, restBytes, struct, u16, u32, type ValueOf } from '../codec';

export const NX_VENDOR_ID = 0x00002320;

export const nxAction = struct(
  'nx_action_header',
  {
    actionType: constant(u16, 0xffff),
    len: length(u16, { align: 8 }),
    vendor: constant(u32, NX_VENDOR_ID),
    subtype: u16,
    data: restBytes,
  },
  { tag: 'nx_unknown' },
);
export type NxAction = ValueOf<typeof nxAction>;
