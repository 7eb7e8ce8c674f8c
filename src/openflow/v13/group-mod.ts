/** OFPT_GROUP_MOD (OpenFlow 1.3): add, modify or delete a group and its buckets. */
import { length, list, pad, struct, u8, u16, u32, type ValueOf } from '../codec';
import { header } from '../header';
import { actionList } from './action';

export const ofpBucket = struct('ofp_bucket', {
  len: length(u16),
  weight: u16,
  watchPort: u32,
  watchGroup: u32,
  pad: pad(4),
  actions: actionList,
});
export type Bucket = ValueOf<typeof ofpBucket>;

export const bucketList = list(ofpBucket);

export const groupMod = struct(
  'ofp_group_mod',
  { ...header(4, 15), command: u16, groupType: u8, pad: pad(1), groupId: u32, buckets: bucketList },
  { tag: 'group_mod' },
);
export type GroupMod = ValueOf<typeof groupMod>;
