/** OFPMP_FLOW (1) and OFPMP_AGGREGATE (2): per-flow and summed counters of the flows a match selects. */
import { length, list, pad, struct, u8, u16, u32, u64, type ValueOf } from '../../codec';
import { ofpMatch } from '../../oxm';
import { instructionList } from '../instruction';
import { multipartReply, multipartRequest } from './header';

/** ofp_flow_stats_request and ofp_aggregate_stats_request share this body. */
const flowSelection = {
  tableId: u8,
  pad1: pad(3),
  outPort: u32,
  outGroup: u32,
  pad2: pad(4),
  cookie: u64,
  cookieMask: u64,
  match: ofpMatch,
} as const;

export const flowStatsRequest = struct(
  'ofp_flow_stats_request',
  { ...multipartRequest(1), ...flowSelection },
  { tag: 'flow_stats_request' },
);

export const flowStats = struct('ofp_flow_stats', {
  length: length(u16),
  tableId: u8,
  pad: pad(1),
  durationSec: u32,
  durationNsec: u32,
  priority: u16,
  idleTimeout: u16,
  hardTimeout: u16,
  flags: u16,
  pad2: pad(4),
  cookie: u64,
  packetCount: u64,
  byteCount: u64,
  match: ofpMatch,
  instructions: instructionList,
});
export type FlowStats = ValueOf<typeof flowStats>;

export const flowStatsReply = struct(
  'ofp_flow_stats_reply',
  { ...multipartReply(1), stats: list(flowStats) },
  { tag: 'flow_stats_reply' },
);

export const aggregateStatsRequest = struct(
  'ofp_aggregate_stats_request',
  { ...multipartRequest(2), ...flowSelection },
  { tag: 'aggregate_stats_request' },
);

export const aggregateStatsReply = struct(
  'ofp_aggregate_stats_reply',
  { ...multipartReply(2), packetCount: u64, byteCount: u64, flowCount: u32, pad3: pad(4) },
  { tag: 'aggregate_stats_reply' },
);
