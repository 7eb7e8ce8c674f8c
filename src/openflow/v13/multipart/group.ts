/** OFPMP_GROUP (6), OFPMP_GROUP_DESC (7), OFPMP_GROUP_FEATURES (8): group counters, definitions, limits. */
import { length, list, pad, struct, u8, u16, u32, u64, type ValueOf } from '../../codec';
import { bucketList } from '../group-mod';
import { multipartReply, multipartRequest } from './header';

export const groupStatsRequest = struct(
  'ofp_group_stats_request',
  { ...multipartRequest(6), groupId: u32, pad2: pad(4) },
  { tag: 'group_stats_request' },
);

export const bucketCounter = struct('ofp_bucket_counter', { packetCount: u64, byteCount: u64 });

export const groupStats = struct('ofp_group_stats', {
  length: length(u16),
  pad: pad(2),
  groupId: u32,
  refCount: u32,
  pad2: pad(4),
  packetCount: u64,
  byteCount: u64,
  durationSec: u32,
  durationNsec: u32,
  bucketStats: list(bucketCounter),
});
export type GroupStats = ValueOf<typeof groupStats>;

export const groupStatsReply = struct(
  'ofp_group_stats_reply',
  { ...multipartReply(6), stats: list(groupStats) },
  { tag: 'group_stats_reply' },
);

export const groupDescRequest = struct(
  'ofp_group_desc_request',
  { ...multipartRequest(7) },
  { tag: 'group_desc_request' },
);

export const groupDesc = struct('ofp_group_desc', {
  length: length(u16),
  groupType: u8,
  pad: pad(1),
  groupId: u32,
  buckets: bucketList,
});
export type GroupDesc = ValueOf<typeof groupDesc>;

export const groupDescReply = struct(
  'ofp_group_desc_reply',
  { ...multipartReply(7), groups: list(groupDesc) },
  { tag: 'group_desc_reply' },
);

export const groupFeaturesRequest = struct(
  'ofp_group_features_request',
  { ...multipartRequest(8) },
  { tag: 'group_features_request' },
);

/** Four u32s, one per group type (all, select, indirect, fast failover). */
const perGroupType = struct('uint32_t[4]', { all: u32, select: u32, indirect: u32, ff: u32 });

export const groupFeaturesReply = struct(
  'ofp_group_features',
  {
    ...multipartReply(8),
    types: u32,
    capabilities: u32,
    maxGroups: perGroupType,
    actions: perGroupType,
  },
  { tag: 'group_features_reply' },
);
