/**
 * What vrouterapi stores. A router holds its attributes and static routes; its interfaces
 * live in the router's map, so adding one never rewrites the router. An interface (VLCP's
 * RouterPort) references its router and its subnet; the subnet references the interface back
 * through its `router` attribute (VLCP's name), which is also what makes a subnet join at most
 * one router. An interface's address is its `ip_address` when given (then also held in the
 * subnet map's `allocated_ips`), otherwise the subnet's gateway, followed as it changes.
 */
import type { Ref } from '../../objectdb';

/** [prefix in network form, next hop] */
export type Route = readonly [string, string];

export interface VirtualRouterObject {
  readonly id: string;
  /**
   * The router's number, unique in the cluster and never reused (router-number.ts): L3 flows
   * tag the router's packets and name its cookies with it. Absent only on routers stored
   * before numbers existed, until vrouterapi numbers them.
   */
  readonly routerno?: number;
  readonly routes: readonly Route[];
}

/** `vrouterapi.virtualroutermap.<id>` */
export interface VirtualRouterMapObject {
  id: string;
  router: Ref;
  interfaces: Ref[];
}

/** `vrouterapi.routerport.<id>` */
export interface RouterPortObject {
  readonly id: string;
  readonly router: Ref;
  readonly subnet: Ref;
  readonly ip_address?: string;
}
