/** The `arpresponder` module: ARP answered in the switch; see docs/arp-responder.md. */
export { ARP_PRIORITY, ArpNetworkError, arpCookie, arpFlows, ownerFlows, replyActions } from './arp-flows';
export type { ArpNetwork, ArpOwner } from './arp-network';
export { ArpResponder, networkOwner, UPLINK_OWNER } from './arp-responder';
export { arpResponderModule } from './arp-responder-module';
export { uplinkFlows, uplinkPorts } from './arp-uplinks';
export { DEFAULT_GATEWAY_MAC, gatewayMacFromConfig } from './gateway-mac';
export { arpNetworkFromView } from './network-view';
