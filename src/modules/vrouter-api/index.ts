/** vrouterapi: VLCP's virtual routers on viperflow subnets; see docs/vrouterapi.md. */
export { P as vrouterApiParams } from './api-params';
export {
  idOfRouterKey,
  routerCounterKey,
  routerKey,
  routerMapKey,
  routerPortKey,
  routerSetKey,
} from './keys';
export type { Route, RouterPortObject, VirtualRouterMapObject, VirtualRouterObject } from './model';
export { isRouterNumber, MAX_ROUTER_NUMBER } from './router-number';
export { vrouterApiModule } from './vrouter-api-module';
export { watchVirtualRouter } from './watch-virtualrouter';
