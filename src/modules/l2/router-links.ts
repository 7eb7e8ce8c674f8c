/**
 * Which logical networks a virtual router links, as l2 needs it: with distributed routing a
 * host routes A -> B locally and hands the packet to l2output with B's nwid, so B needs its
 * unicast flows on every host with ports in A (docs/pipeline.md, "Routed networks").
 *
 * - `routersOfNetwork`: the routers a network's subnets are attached to, read from its
 *   watchLogicalNetwork snapshot (subnet.router -> interface -> interface.router).
 * - `watchRouterLinks` / `networksOfRouter`: a small walk from the router's map through its
 *   interfaces to their subnets only (not the networks' ports: l2 watches those per network),
 *   and the networks those subnets belong to.
 * Missing or malformed objects are skipped, never thrown.
 */
import { type JsonValue, type Key, type ObjectDb, toKey, type Watch } from '../../objectdb';
import { idOfKey } from '../viperflow';
import { idOfRouterKey, routerMapKey } from '../vrouter-api';
import { asObject, refKey } from './network-data';

/** Router ids the subnets in a network's snapshot are attached to, sorted. */
export function routersOfNetwork(values: ReadonlyMap<Key, JsonValue | null>): string[] {
  const routers = new Set<string>();
  for (const [key, value] of values) {
    if (idOfKey('subnet', key) === null) continue;
    const ifKey = refKey(asObject(value)?.router);
    if (ifKey === undefined) continue;
    const rp = asObject(values.get(toKey(ifKey)));
    const routerRef = refKey(rp?.router);
    const id = routerRef === undefined ? null : idOfRouterKey('virtualrouter', routerRef);
    if (id !== null) routers.add(id);
  }
  return [...routers].sort();
}

/** The router's map, its interfaces and their subnets (not beyond). */
export function watchRouterLinks(db: ObjectDb, routerId: string): Promise<Watch> {
  const root = routerMapKey(routerId);
  return db.watchWalk([root], (key, value) => {
    const o = asObject(value);
    if (key === root) {
      const list = o?.interfaces;
      return (Array.isArray(list) ? list : []).flatMap((r) => {
        const k = refKey(r);
        return k === undefined ? [] : [toKey(k)];
      });
    }
    if (idOfRouterKey('routerport', key) === null) return [];
    const subnet = refKey(o?.subnet);
    return subnet === undefined ? [] : [toKey(subnet)];
  });
}

/** The logical networks whose subnets are attached to the router, from a watchRouterLinks snapshot. */
export function networksOfRouter(routerId: string, values: ReadonlyMap<Key, JsonValue | null>): Set<string> {
  const out = new Set<string>();
  const map = asObject(values.get(routerMapKey(routerId)));
  const list = map?.interfaces;
  for (const r of Array.isArray(list) ? list : []) {
    const ifKey = refKey(r);
    const rp = ifKey === undefined ? undefined : asObject(values.get(toKey(ifKey)));
    const subnetKey = refKey(rp?.subnet);
    const subnet = subnetKey === undefined ? undefined : asObject(values.get(toKey(subnetKey)));
    const netKey = refKey(subnet?.network);
    const id = netKey === undefined ? null : idOfKey('logicalnetwork', netKey);
    if (id !== null) out.add(id);
  }
  return out;
}
