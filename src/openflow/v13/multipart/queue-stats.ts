/** OFPMP_QUEUE (5): per-queue counters (OFPP_ANY / OFPQ_ALL for every port / queue). */
import { list, struct, u32, u64, type ValueOf } from '../../codec';
import { multipartReply, multipartRequest } from './header';

export const queueStatsRequest = struct(
  'ofp_queue_stats_request',
  { ...multipartRequest(5), portNo: u32, queueId: u32 },
  { tag: 'queue_stats_request' },
);

export const queueStats = struct('ofp_queue_stats', {
  portNo: u32,
  queueId: u32,
  txBytes: u64,
  txPackets: u64,
  txErrors: u64,
  durationSec: u32,
  durationNsec: u32,
});
export type QueueStats = ValueOf<typeof queueStats>;

export const queueStatsReply = struct(
  'ofp_queue_stats_reply',
  { ...multipartReply(5), stats: list(queueStats) },
  { tag: 'queue_stats_reply' },
);
