/** OFPST_QUEUE (5): counters of a port's queues (OFPP_ALL / OFPQ_ALL select every one). */
import { list, pad, struct, u16, u32, u64, type ValueOf } from '../../codec';
import { StatsType } from '../constants';
import { statsReply, statsRequest } from './header';

export const queueStatsRequest = struct(
  'ofp_queue_stats_request',
  { ...statsRequest(StatsType.QUEUE), portNo: u16, pad: pad(2), queueId: u32 },
  { tag: 'queue_stats_request' },
);

export const queueStats = struct('ofp_queue_stats', {
  portNo: u16,
  pad: pad(2),
  queueId: u32,
  txBytes: u64,
  txPackets: u64,
  txErrors: u64,
});
export type QueueStats = ValueOf<typeof queueStats>;

export const queueStatsReply = struct(
  'ofp_queue_stats_reply',
  { ...statsReply(StatsType.QUEUE), queues: list(queueStats) },
  { tag: 'queue_stats_reply' },
);
