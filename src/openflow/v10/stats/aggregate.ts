/** OFPST_AGGREGATE (2): packet, byte and flow counts summed over the flows a match selects. */
import { pad, struct, u32, u64 } from '../../codec';
import { StatsType } from '../constants';
import { flowStatsRequestBody } from './flow';
import { statsReply, statsRequest } from './header';

export const aggregateStatsRequest = struct(
  'ofp_aggregate_stats_request',
  { ...statsRequest(StatsType.AGGREGATE), ...flowStatsRequestBody },
  { tag: 'aggregate_stats_request' },
);

export const aggregateStatsReply = struct(
  'ofp_aggregate_stats_reply',
  { ...statsReply(StatsType.AGGREGATE), packetCount: u64, byteCount: u64, flowCount: u32, pad: pad(4) },
  { tag: 'aggregate_stats_reply' },
);
