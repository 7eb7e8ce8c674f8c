/**
 * The one flow per served port in table `dhcp`: DHCP client messages (UDP 68 -> 67) from
 * the port, with its own MAC as source, go to the controller whole (no buffering). Only
 * ports that have a lease get one, so everything else passes on through the table's miss.
 */

import { buildMatch } from '../../openflow/oxm';
import type { MacAddress } from '../../openflow/packet';
import { DHCP_CLIENT_PORT, DHCP_SERVER_PORT } from '../../openflow/packet';
import { ControllerMaxLen, Port } from '../../openflow/v13/constants';
import { type Flow, type Flow13, flow13 } from '../flowsync';

/** Above the table's priority-0 miss; nothing else shares the table. */
export const DHCP_FLOW_PRIORITY = 100;

/** The FlowSync owner of one port's flow: changing the port touches only this. */
export function dhcpFlowOwner(datapathId: bigint, portNo: number): string {
  return `dhcp:${datapathId.toString(16)}:${portNo}`;
}

export function dhcpPortFlow(table: number, portNo: number, mac: MacAddress, nwid: number): Flow<Flow13> {
  return flow13({
    table,
    priority: DHCP_FLOW_PRIORITY,
    match: buildMatch({
      in_port: portNo,
      eth_src: mac,
      udp_src: DHCP_CLIENT_PORT,
      udp_dst: DHCP_SERVER_PORT,
    }),
    instructions: [
      {
        type: 'apply_actions',
        actions: [{ type: 'output', port: Port.CONTROLLER, maxLen: ControllerMaxLen.NO_BUFFER }],
      },
    ],
    // The network number in the cookie: dump-flows shows which network a flow serves.
    cookie: BigInt(nwid) & 0xffff_ffff_ffffn,
  });
}
