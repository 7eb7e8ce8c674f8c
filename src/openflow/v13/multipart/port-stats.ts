/** OFPMP_PORT_STATS (4): per-port counters (OFPP_ANY for every port). */
import { list, pad, struct, u32, u64, type ValueOf } from '../../codec';
import { multipartReply, multipartRequest } from './header';

export const portStatsRequest = struct(
  'ofp_port_stats_request',
  { ...multipartRequest(4), portNo: u32, pad2: pad(4) },
  { tag: 'port_stats_request' },
);

export const portStats = struct('ofp_port_stats', {
  portNo: u32,
  pad: pad(4),
  rxPackets: u64,
  txPackets: u64,
  rxBytes: u64,
  txBytes: u64,
  rxDropped: u64,
  txDropped: u64,
  rxErrors: u64,
  txErrors: u64,
  rxFrameErr: u64,
  rxOverErr: u64,
  rxCrcErr: u64,
  collisions: u64,
  durationSec: u32,
  durationNsec: u32,
});
export type PortStats = ValueOf<typeof portStats>;

export const portStatsReply = struct(
  'ofp_port_stats_reply',
  { ...multipartReply(4), stats: list(portStats) },
  { tag: 'port_stats_reply' },
);
