/** The `l3` module: distributed routing for virtual routers; see docs/l3.md. */
export {
  compileRouter,
  echoReplyActions,
  L3_COOKIE_TAG,
  L3_PRIORITY,
  L3CompileError,
  type L3Tables,
  l3Cookie,
  l3Owner,
  ROUTER_TAG,
  routePriority,
  routerMetadata,
} from './compile-router';
export {
  hasRoute,
  type IcmpErrorAnswer,
  type IcmpErrorKind,
  icmpErrorFor,
  netUnreachable,
  replyAddress,
  timeExceeded,
  whyNoIcmpError,
} from './icmp-errors';
export { createIcmpPacketInHandler, type IcmpPacketInHandler, type L3PacketIn } from './icmp-packet-in';
export { DEFAULT_ICMP_ERROR_BURST, DEFAULT_ICMP_ERROR_RATE, l3Module } from './l3-module';
export { PacketInLimitError, PacketInLimiter, type PacketInLimits } from './packet-in-limiter';
export type { Prefix, RoutedPort, RouterInterface, RouterView, StaticRoute } from './router-view';
export { parsePrefix, routerFromView } from './router-view';
export { VirtualRouters } from './virtual-routers';
