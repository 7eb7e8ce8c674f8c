/** The `dhcpserver` module: DHCP for logical ports, answered by the controller (docs/dhcp-server.md). */
export { answerDhcp, type DhcpAnswer, replyOptions, type ServerIdentity } from './answer';
export { DHCP_FLOW_PRIORITY, dhcpFlowOwner, dhcpPortFlow } from './dhcp-flow';
export {
  DEFAULT_LEASE_TIME,
  DEFAULT_SERVER_ADDRESS,
  DEFAULT_SERVER_MAC,
  dhcpServerModule,
} from './dhcp-server-module';
export { ExtraOptionError, extraDhcpOption } from './extra-options';
export {
  type DhcpLease,
  INFINITE_LEASE,
  type LeaseDefaults,
  type LeaseResult,
  type LeaseSources,
  resolveLease,
} from './lease';
export { PortLeases, type PortLookup } from './port-leases';
