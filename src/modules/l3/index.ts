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
export { l3Module } from './l3-module';
export type { Prefix, RoutedPort, RouterInterface, RouterView, StaticRoute } from './router-view';
export { parsePrefix, routerFromView } from './router-view';
export { replyAddress, type TimeExceeded, timeExceeded } from './time-exceeded';
export { VirtualRouters } from './virtual-routers';
