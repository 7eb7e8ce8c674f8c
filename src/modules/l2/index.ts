/** The `l2` module: logical L2 networks as flows (docs/pipeline.md). */

export { CompileCache } from './compile-cache';
export {
  compileNetwork,
  floodFlow,
  foreignPairMacs,
  L2_COOKIE_TAG,
  l2Cookie,
  l2Owner,
  localPortFlows,
  PRIORITY,
  pairUnicastFlow,
  remotePortFlows,
  uplinkIngressFlows,
} from './compile-network';
export { type L2FlowStats, L2Flows, type L2FlowsView } from './l2-flows';
export { l2Module } from './l2-module';
export { LocalView } from './local-view';
export {
  type NetworkData,
  type PortData,
  parseNetwork,
  parseTunnels,
  type TunnelData,
} from './network-data';
export type {
  AddressPair,
  L2Tables,
  LocalLogicalPort,
  NetworkView,
  RemoteLogicalPort,
} from './network-view';
export { ANY, physicalPortCandidates } from './physical-port-keys';
