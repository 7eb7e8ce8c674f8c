/** OFPST_FLOW (1): the flows matching a match (and output port), each with counters and actions. */
import { length, list, pad, struct, u8, u16, u32, u64, type ValueOf } from '../../codec';
import { ofp10Action } from '../action';
import { StatsType } from '../constants';
import { ofpMatch } from '../match';
import { statsReply, statsRequest } from './header';

/** The body of flow and aggregate stats requests. */
export const flowStatsRequestBody = { match: ofpMatch, tableId: u8, pad: pad(1), outPort: u16 } as const;

export const flowStatsRequest = struct(
  'ofp_flow_stats_request',
  { ...statsRequest(StatsType.FLOW), ...flowStatsRequestBody },
  { tag: 'flow_stats_request' },
);

export const flowStats = struct('ofp_flow_stats', {
  length: length(u16),
  tableId: u8,
  pad: pad(1),
  match: ofpMatch,
  durationSec: u32,
  durationNsec: u32,
  priority: u16,
  idleTimeout: u16,
  hardTimeout: u16,
  pad2: pad(6),
  cookie: u64,
  packetCount: u64,
  byteCount: u64,
  actions: list(ofp10Action),
});
export type FlowStats = ValueOf<typeof flowStats>;

export const flowStatsReply = struct(
  'ofp_flow_stats_reply',
  { ...statsReply(StatsType.FLOW), flows: list(flowStats) },
  { tag: 'flow_stats_reply' },
);
