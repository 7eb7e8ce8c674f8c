/**
 * Virtual routers: create (with an empty interface map and a new router number), update (attributes merge, `routes`
 * replace and are checked against the interfaces), delete (only without interfaces). Each
 * function runs a whole batch inside one staged transaction; the first bad item throws and
 * nothing is written.
 */
import { type Key, type Ref, ref } from '../../objectdb';
import { storedAttributes } from '../viperflow/attributes';
import type { CallItem } from '../viperflow/item-path';
import { idOfKey } from '../viperflow/keys';
import { addRef, removeRef } from '../viperflow/ref-list';
import type { StagedTx } from '../viperflow/staged-tx';
import { attachedSubnets } from './attached-subnets';
import {
  idOfRouterKey,
  routerCounterKey,
  routerKey,
  routerMapKey,
  routerMapKeyOf,
  routerSetKey,
} from './keys';
import type { RouterPortObject, VirtualRouterMapObject, VirtualRouterObject } from './model';
import { isRouterNumber, ROUTERNO_ASSIGNED, takeRouterNumber } from './router-number';
import { checkRoutes, normaliseRoutes } from './routes';

const FORBIDDEN = {
  interfaces: 'is managed by addrouterinterface and removerouterinterface',
  routerno: ROUTERNO_ASSIGNED,
};

function routerKeys(items: readonly CallItem[]): Key[] {
  return items.map(({ path, params }) => path.key('id', () => routerKey(String(params.id))));
}

function checkUnique(items: readonly CallItem[], keys: readonly Key[]): void {
  const seen = new Set<Key>();
  items.forEach(({ path, params }, i) => {
    if (seen.has(keys[i]!))
      throw path.error('id', `virtual router ${String(params.id)} appears twice in this call`);
    seen.add(keys[i]!);
  });
}

export async function createRouters(st: StagedTx, items: readonly CallItem[]): Promise<Key[]> {
  const keys = routerKeys(items);
  checkUnique(items, keys);
  await st.load([...keys, routerSetKey(), routerCounterKey()]);
  for (const [i, { path, params }] of items.entries()) {
    const key = keys[i]!;
    const id = String(params.id);
    if ((await st.get(key)) !== null) throw path.error('id', `virtual router ${id} already exists`, 409);
    const routes = params.routes === undefined ? [] : normaliseRoutes(path, params.routes);
    // A new router has no interfaces, so only an empty route list can be reachable.
    checkRoutes(path, routes, []);
    const obj: VirtualRouterObject = {
      ...storedAttributes(path, params, ['id', 'routes'], FORBIDDEN),
      id,
      routerno: await takeRouterNumber(st, path),
      routes,
    };
    st.put(key, obj);
    const map: VirtualRouterMapObject = { id, router: ref(key), interfaces: [] };
    st.put(routerMapKey(id), map);
    addRef(await st.edit<Ref[]>(routerSetKey(), () => []), key);
  }
  return keys;
}

export async function updateRouters(st: StagedTx, items: readonly CallItem[]): Promise<Key[]> {
  const keys = routerKeys(items);
  checkUnique(items, keys);
  await st.load([...keys, ...keys.map(routerMapKeyOf)]);
  for (const [i, { path, params }] of items.entries()) {
    const key = keys[i]!;
    const cur = await st.get<VirtualRouterObject>(key);
    if (cur === null) throw path.error('id', `virtual router ${String(params.id)} does not exist`, 404);
    const attrs = storedAttributes(path, params, ['id', 'routes'], FORBIDDEN);
    let routes = cur.routes;
    if (params.routes !== undefined) {
      routes = normaliseRoutes(path, params.routes);
      checkRoutes(path, routes, await attachedSubnets(st, key));
    }
    // A router stored before router numbers existed gets its number now.
    const routerno = isRouterNumber(cur.routerno) ? cur.routerno : await takeRouterNumber(st, path);
    st.put(key, { ...cur, ...attrs, id: cur.id, routerno, routes });
  }
  return keys;
}

export async function deleteRouters(st: StagedTx, items: readonly CallItem[]): Promise<void> {
  const keys = routerKeys(items);
  checkUnique(items, keys);
  await st.load([...keys, ...keys.map(routerMapKeyOf), routerSetKey()]);
  for (const [i, { path, params }] of items.entries()) {
    const key = keys[i]!;
    const id = String(params.id);
    if ((await st.get(key)) === null) throw path.error('id', `virtual router ${id} does not exist`, 404);
    const mk = routerMapKeyOf(key);
    const map = await st.get<VirtualRouterMapObject>(mk);
    const ifaces = map?.interfaces ?? [];
    if (ifaces.length > 0) {
      await st.load(ifaces.map((r) => r.$ref as Key));
      const named: string[] = [];
      for (const r of ifaces.slice(0, 10)) {
        const port = await st.get<RouterPortObject>(r.$ref as Key);
        const subnet = port === null ? null : idOfKey('subnet', port.subnet.$ref);
        named.push(
          `${idOfRouterKey('routerport', r.$ref) ?? r.$ref}${subnet === null ? '' : ` (subnet ${subnet})`}`,
        );
      }
      const more = ifaces.length > 10 ? ` and ${ifaces.length - 10} more` : '';
      throw path.error(
        'id',
        `virtual router ${id} still has interfaces ${named.join(', ')}${more}; remove them first`,
        409,
      );
    }
    st.put(key, null);
    st.put(mk, null);
    removeRef(await st.edit<Ref[]>(routerSetKey(), () => []), key);
  }
}
