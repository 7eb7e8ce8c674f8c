/**
 * Flows per datapath that keep ARP requests arriving from ports that are not logical
 * ports (physical ports, tunnels) away from the answers: a reply sent back out of such a
 * port would miss its VLAN tag or tunnel destination, and the host that owns the address
 * (or the other host's responder) answers the flooded request itself.
 */

import { buildMatch, ETH_TYPE } from '../../openflow/oxm';
import { type Flow, type Flow13, flow13 } from '../flowsync';
import type { PortBinding } from '../port-binding';
import { ARP_PRIORITY, type ArpTables } from './arp-flows';

/**
 * The ports of one datapath whose ARP requests pass on unanswered: every port that is not
 * a logical port, except the bridge's LOCAL port (not a port number a 1.3 match can name
 * as 65534; ingress admits nothing from it anyway).
 */
export function uplinkPorts(bindings: readonly PortBinding[]): number[] {
  return bindings
    .filter((b) => b.physicalPortName !== undefined)
    .map((b) => b.portNo)
    .sort((a, b) => a - b);
}

export function uplinkFlows(ports: readonly number[], tables: ArpTables): Flow<Flow13>[] {
  return ports.map((portNo) =>
    flow13({
      table: tables.table,
      priority: ARP_PRIORITY.uplink,
      match: buildMatch({ in_port: portNo, eth_type: ETH_TYPE.ARP }),
      instructions: [{ type: 'goto_table', tableId: tables.table + 1 }],
    }),
  );
}
