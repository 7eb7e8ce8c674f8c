/** OFPST_PORT (4): counters of one port (or all, with port OFPP_NONE). */
import { list, pad, struct, u16, u64, type ValueOf } from '../../codec';
import { StatsType } from '../constants';
import { statsReply, statsRequest } from './header';

export const portStatsRequest = struct(
  'ofp_port_stats_request',
  { ...statsRequest(StatsType.PORT), portNo: u16, pad: pad(6) },
  { tag: 'port_stats_request' },
);

export const portStats = struct('ofp_port_stats', {
  portNo: u16,
  pad: pad(6),
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
});
export type PortStats = ValueOf<typeof portStats>;

export const portStatsReply = struct(
  'ofp_port_stats_reply',
  { ...statsReply(StatsType.PORT), ports: list(portStats) },
  { tag: 'port_stats_reply' },
);
