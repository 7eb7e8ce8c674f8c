/**
 * OFPST_PORT_DESC (13): every port of the switch. Not in the 1.0 spec: OVS accepts it on 1.0
 * connections (`ovs-ofctl -O OpenFlow10 dump-ports-desc`), with 1.0 ofp_phy_port entries.
 */
import { list, struct } from '../../codec';
import { StatsType } from '../constants';
import { ofpPhyPort } from '../port';
import { statsReply, statsRequest } from './header';

export const portDescStatsRequest = struct(
  'ofp_port_desc_stats_request',
  { ...statsRequest(StatsType.PORT_DESC) },
  { tag: 'port_desc_stats_request' },
);

export const portDescStatsReply = struct(
  'ofp_port_desc_stats_reply',
  { ...statsReply(StatsType.PORT_DESC), ports: list(ofpPhyPort) },
  { tag: 'port_desc_stats_reply' },
);
