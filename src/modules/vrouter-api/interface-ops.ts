/**
 * Router interfaces (VLCP's RouterPort): attaching a subnet to a router and detaching it.
 * The subnet's `router` attribute points at its interface, so a subnet joins at most one
 * router; a router's attached subnets never overlap, so a next hop names one of them; an
 * explicit `ip_address` is held in the subnet map like a port's address. Removing an
 * interface that a static route's next hop needs is refused, naming the route. All subnets of
 * one logical network attach to the same router: l3 sends a network's routed traffic to one
 * router (its `l3input` match is the network), so a second router could never be reached.
 */
import { type Key, type Ref, ref } from '../../objectdb';
import { ipv4FromNumber } from '../../openflow/packet';
import { storedAttributes } from '../viperflow/attributes';
import type { CallItem, ItemPath } from '../viperflow/item-path';
import { idOfKey, mapKeyOf, objectKey } from '../viperflow/keys';
import type { LogicalNetworkMapObject, SubnetMapObject, SubnetObject } from '../viperflow/model';
import { addRef, removeRef } from '../viperflow/ref-list';
import type { StagedTx } from '../viperflow/staged-tx';
import { contains, parseAddress, parseCidr } from '../viperflow/subnet';
import { subnetLayout } from '../viperflow/subnet-ops';
import { attachedSubnets } from './attached-subnets';
import { describeAnyRef } from './describe-ref';
import { idOfRouterKey, routerKey, routerMapKeyOf, routerPortKey } from './keys';
import type { RouterPortObject, VirtualRouterMapObject, VirtualRouterObject } from './model';
import { unreachable } from './routes';

/** A subnet as stored, with the interface reference vrouterapi keeps on it. */
type BoundSubnet = SubnetObject & { readonly router?: Ref };

const HANDLED = ['id', 'router', 'subnet', 'ip_address'];

function whereKeys(items: readonly CallItem[]): { routers: Key[]; subnets: Key[] } {
  return {
    routers: items.map(({ path, params }) => path.key('router', () => routerKey(String(params.router)))),
    subnets: items.map(({ path, params }) =>
      path.key('subnet', () => objectKey('subnet', String(params.subnet))),
    ),
  };
}

/** The router an interface of the subnet already belongs to, as an error. */
async function alreadyBound(st: StagedTx, path: ItemPath, subnet: BoundSubnet, router: Key): Promise<never> {
  const holder = await st.get<RouterPortObject>(subnet.router!.$ref as Key);
  const iface = describeAnyRef(subnet.router!);
  if (holder !== null && holder.router.$ref === router) {
    throw path.error(
      'subnet',
      `subnet ${subnet.id} already has ${iface} on virtual router ${idOfRouterKey('virtualrouter', router)}`,
      409,
    );
  }
  const other = holder === null ? 'another virtual router' : describeAnyRef(holder.router);
  throw path.error('subnet', `subnet ${subnet.id} is already attached to ${other} (${iface})`, 409);
}

/** Refuses to attach a subnet whose logical network already reaches another router. */
async function sameRouterAsSiblings(
  st: StagedTx,
  path: ItemPath,
  subnet: BoundSubnet,
  router: Key,
): Promise<void> {
  const nmap = await st.get<LogicalNetworkMapObject>(mapKeyOf('logicalnetwork', subnet.network.$ref));
  const siblings = (nmap?.subnets ?? []).map((r) => r.$ref as Key);
  await st.load(siblings);
  for (const key of siblings) {
    const sibling = await st.get<BoundSubnet>(key);
    if (sibling === null || sibling.id === subnet.id || sibling.router === undefined) continue;
    const iface = await st.get<RouterPortObject>(sibling.router.$ref as Key);
    if (iface === null || iface.router.$ref === router) continue;
    throw path.error(
      'subnet',
      `subnet ${subnet.id} is in logical network ${idOfKey('logicalnetwork', subnet.network.$ref) ?? subnet.network.$ref}, whose subnet ${sibling.id} is attached to ${describeAnyRef(iface.router)} (${describeAnyRef(sibling.router)}); all subnets of a logical network attach to one virtual router`,
      409,
    );
  }
}

/** Takes the explicit address for the interface in the subnet map. */
function holdAddress(
  path: ItemPath,
  subnet: BoundSubnet,
  smap: SubnetMapObject,
  port: Key,
  text: string,
): string {
  const layout = subnetLayout(path, subnet);
  const n = parseAddress(text, path.field('ip_address'));
  const ip = ipv4FromNumber(n);
  if (!contains(layout.cidr, n)) {
    throw path.error('ip_address', `${ip} is not inside subnet ${subnet.id} (${subnet.cidr})`);
  }
  if (n === layout.gateway) {
    throw path.error(
      'ip_address',
      `${ip} is the gateway of subnet ${subnet.id}; leave ip_address out to use the gateway`,
    );
  }
  // viperflow requires every held address to stay in the pool when the subnet changes.
  if (n < layout.pool.start || n > layout.pool.end) {
    throw path.error(
      'ip_address',
      `${ip} is outside the pool ${subnet.allocated_start}-${subnet.allocated_end} of subnet ${subnet.id}`,
    );
  }
  const holder = smap.allocated_ips[ip];
  if (holder !== undefined) {
    throw path.error(
      'ip_address',
      `${ip} is already used by ${describeAnyRef(holder)} in subnet ${subnet.id}`,
      409,
    );
  }
  smap.allocated_ips[ip] = ref(port);
  return ip;
}

export async function addInterfaces(st: StagedTx, items: readonly CallItem[]): Promise<Key[]> {
  const ports = items.map(({ path, params }) => path.key('id', () => routerPortKey(String(params.id))));
  const { routers, subnets } = whereKeys(items);
  await st.load([
    ...ports,
    ...routers,
    ...routers.map(routerMapKeyOf),
    ...subnets,
    ...subnets.map((k) => mapKeyOf('subnet', k)),
  ]);
  const seen = new Set<Key>();
  items.forEach(({ path, params }, i) => {
    if (seen.has(ports[i]!))
      throw path.error('id', `router interface ${String(params.id)} appears twice in this call`);
    seen.add(ports[i]!);
  });
  for (const [i, { path, params }] of items.entries()) {
    const [port, router, subnetKey] = [ports[i]!, routers[i]!, subnets[i]!];
    if ((await st.get(router)) === null) {
      throw path.error('router', `virtual router ${String(params.router)} does not exist`, 404);
    }
    const subnet = await st.get<BoundSubnet>(subnetKey);
    if (subnet === null) throw path.error('subnet', `subnet ${String(params.subnet)} does not exist`, 404);
    if ((await st.get(port)) !== null) {
      throw path.error('id', `router interface ${String(params.id)} already exists`, 409);
    }
    if (subnet.router !== undefined) await alreadyBound(st, path, subnet, router);
    await sameRouterAsSiblings(st, path, subnet, router);
    const cidr = parseCidr(subnet.cidr, 'cidr', false);
    for (const a of await attachedSubnets(st, router)) {
      if (a.cidr === null || !(contains(a.cidr, cidr.network) || contains(cidr, a.cidr.network))) continue;
      throw path.error(
        'subnet',
        `${subnet.cidr} of subnet ${subnet.id} overlaps subnet ${a.subnet!.id} (${a.subnet!.cidr}), already attached to virtual router ${String(params.router)}`,
        409,
      );
    }
    let ip: string | undefined;
    if (params.ip_address !== undefined) {
      const smap = await st.editIfPresent<SubnetMapObject>(mapKeyOf('subnet', subnetKey));
      if (smap === null) throw path.error('subnet', `subnet ${subnet.id} has no map`, 409);
      ip = holdAddress(path, subnet, smap, port, String(params.ip_address));
    } else if (subnet.gateway === undefined) {
      throw path.error(
        'ip_address',
        `is required: subnet ${subnet.id} has no gateway for the router to take`,
      );
    }
    const obj: RouterPortObject = {
      ...storedAttributes(path, params, HANDLED),
      id: String(params.id),
      router: ref(router),
      subnet: ref(subnetKey),
      ...(ip !== undefined ? { ip_address: ip } : {}),
    };
    st.put(port, obj);
    st.put(subnetKey, { ...subnet, router: ref(port) });
    const map = await st.editIfPresent<VirtualRouterMapObject>(routerMapKeyOf(router));
    if (map === null) throw path.error('router', `virtual router ${String(params.router)} has no map`, 409);
    addRef(map.interfaces, port);
  }
  return ports;
}

export async function removeInterfaces(st: StagedTx, items: readonly CallItem[]): Promise<void> {
  const { routers, subnets } = whereKeys(items);
  await st.load([
    ...routers,
    ...routers.map(routerMapKeyOf),
    ...subnets,
    ...subnets.map((k) => mapKeyOf('subnet', k)),
  ]);
  const seen = new Set<string>();
  for (const [i, { path, params }] of items.entries()) {
    const [router, subnetKey] = [routers[i]!, subnets[i]!];
    const pair = `${router}\n${subnetKey}`;
    if (seen.has(pair)) {
      throw path.error(
        'subnet',
        `subnet ${String(params.subnet)} on virtual router ${String(params.router)} appears twice in this call`,
      );
    }
    seen.add(pair);
    const robj = await st.get<VirtualRouterObject>(router);
    if (robj === null)
      throw path.error('router', `virtual router ${String(params.router)} does not exist`, 404);
    const attached = await attachedSubnets(st, router);
    const gone = attached.find((a) => a.subnetKey === subnetKey);
    if (gone === undefined) {
      throw path.error(
        'subnet',
        `subnet ${String(params.subnet)} is not attached to virtual router ${String(params.router)}`,
        404,
      );
    }
    // Attached subnets never overlap, so a next hop inside this one is reachable through no other.
    const rest = attached.filter((a) => a !== gone);
    robj.routes.forEach((route, j) => {
      if (gone.cidr === null || !contains(gone.cidr, parseAddress(route[1], 'nexthop'))) return;
      if (unreachable(route, rest) === null) return;
      throw path.error(
        'subnet',
        `route routes.${j} [${route[0]}, ${route[1]}] of virtual router ${robj.id} goes through subnet ${String(params.subnet)}; change the router's routes first`,
        409,
      );
    });
    st.put(gone.port, null);
    const map = await st.editIfPresent<VirtualRouterMapObject>(routerMapKeyOf(router));
    if (map !== null) removeRef(map.interfaces, gone.port);
    const subnet = gone.subnet as BoundSubnet | null;
    if (subnet !== null && subnet.router?.$ref === gone.port) {
      const { router: _bound, ...unbound } = subnet;
      st.put(subnetKey, unbound);
    }
    const ip = gone.interface.ip_address;
    if (ip !== undefined) {
      const smap = await st.editIfPresent<SubnetMapObject>(mapKeyOf('subnet', subnetKey));
      if (smap !== null && smap.allocated_ips[ip]?.$ref === gone.port) delete smap.allocated_ips[ip];
    }
  }
}
