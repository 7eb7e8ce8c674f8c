/**
 * The MAC a subnet's gateway address answers ARP with. One cluster-wide value (config
 * `arpresponder.gatewaymac`), the same on every host and every network, as a distributed
 * router needs: every host routes for every gateway locally, so the gateway MAC must not
 * depend on the host. Locally administered unicast; "VL" as in FlowSync's cookies.
 */
import type { MacAddress } from '../../openflow/packet/mac-address';

export const DEFAULT_GATEWAY_MAC = '02:56:4c:00:00:01' as MacAddress;
