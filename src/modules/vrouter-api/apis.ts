/**
 * vrouterapi's API list: VLCP's names and parameters (`api-params.ts`), each call turned into
 * items (a single call is a batch of one) and run as one transaction. Create, update and
 * addrouterinterface return the objects as stored (VLCP's dump form), delete and remove
 * return `{"status": "OK"}`, list returns the matching objects.
 */
import { randomUUID } from 'node:crypto';
import { InvalidKeyError, type JsonValue, type Key } from '../../objectdb';
import { type ApiDefinition, defineApi } from '../runtime';
import type { Params } from '../viperflow/attributes';
import { dumpKeys } from '../viperflow/dump';
import { type CallItem, ItemPath } from '../viperflow/item-path';
import { listKeys, refsAt } from '../viperflow/list-ops';
import type { StagedTx } from '../viperflow/staged-tx';
import type { StoreAccess } from '../viperflow/store-access';
import { P } from './api-params';
import { addInterfaces, removeInterfaces } from './interface-ops';
import { routerKey, routerMapKey, routerSetKey } from './keys';
import { createRouters, deleteRouters, updateRouters } from './router-ops';

type ChangeOp = (st: StagedTx, items: readonly CallItem[]) => Promise<Key[]>;
type DeleteOp = (st: StagedTx, items: readonly CallItem[]) => Promise<void>;

/** An object created without an id gets a UUID (before the transaction, so retries keep it). */
function withId(p: Params): Params {
  return typeof p.id === 'string' && p.id !== '' ? p : { ...p, id: randomUUID() };
}

function one(params: Params, newId: boolean): CallItem[] {
  return [{ path: new ItemPath(''), params: newId ? withId(params) : params }];
}

function many(list: string, params: Params, newId: boolean): CallItem[] {
  const arr = (params[list] ?? []) as readonly Params[];
  return arr.map((p, i) => ({ path: ItemPath.item(list, i), params: newId ? withId(p) : p }));
}

function without(params: Params, ...names: string[]): Params {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) if (!names.includes(k) && v !== undefined) out[k] = v;
  return out;
}

const OK = { status: 'OK' } as const;

export function vrouterApis(store: StoreAccess): readonly ApiDefinition[] {
  const changed = (op: ChangeOp, items: CallItem[]) =>
    store.write(async (st) => dumpKeys(st, await op(st, items)));
  const removed = async (op: DeleteOp, items: CallItem[]) => {
    await store.write((st) => op(st, items));
    return OK;
  };
  const list = (candidates: (st: StagedTx) => Promise<Key[]>, filters: Params) =>
    store.read(async (st): Promise<JsonValue> => {
      let keys: Key[];
      try {
        keys = await candidates(st);
      } catch (e) {
        // An id no key can hold names no object.
        if (e instanceof InvalidKeyError) return [];
        throw e;
      }
      return listKeys(st, keys, filters);
    });

  return [
    defineApi({
      name: 'createvirtualrouter',
      description:
        'Create a virtual router; routes are [prefix, next hop] pairs (next hops inside attached subnets); extra attributes are stored; the controller assigns routerno.',
      params: P.createvirtualrouter,
      handler: (p) => changed(createRouters, one(p, true)),
    }),
    defineApi({
      name: 'createvirtualrouters',
      description: 'Create several virtual routers in one transaction.',
      params: P.createvirtualrouters,
      handler: (p) => changed(createRouters, many('routers', p, true)),
    }),
    defineApi({
      name: 'updatevirtualrouter',
      description:
        'Change attributes of a virtual router; routes replace the old ones and each next hop must lie in an attached subnet.',
      params: P.updatevirtualrouter,
      handler: (p) => changed(updateRouters, one(p, false)),
    }),
    defineApi({
      name: 'updatevirtualrouters',
      description: 'Update several virtual routers in one transaction.',
      params: P.updatevirtualrouters,
      handler: (p) => changed(updateRouters, many('routers', p, false)),
    }),
    defineApi({
      name: 'deletevirtualrouter',
      description: 'Delete a virtual router that has no interfaces.',
      params: P.deletevirtualrouter,
      handler: (p) => removed(deleteRouters, one(p, false)),
    }),
    defineApi({
      name: 'deletevirtualrouters',
      description: 'Delete several virtual routers in one transaction.',
      params: P.deletevirtualrouters,
      handler: (p) => removed(deleteRouters, many('routers', p, false)),
    }),
    defineApi({
      name: 'listvirtualrouters',
      description: 'Virtual routers: the one with id, or all; other parameters filter by attribute.',
      params: P.listvirtualrouters,
      handler: (p) =>
        list(
          async (st) =>
            typeof p.id === 'string' && p.id !== '' ? [routerKey(p.id)] : refsAt(st, routerSetKey()),
          without(p, 'id'),
        ),
    }),
    defineApi({
      name: 'addrouterinterface',
      description:
        "Attach a subnet to a virtual router; the router's address is the subnet's gateway, or ip_address (taken from the subnet's pool).",
      params: P.addrouterinterface,
      handler: (p) => changed(addInterfaces, one(p, true)),
    }),
    defineApi({
      name: 'addrouterinterfaces',
      description: 'Attach several subnets to virtual routers in one transaction.',
      params: P.addrouterinterfaces,
      handler: (p) => changed(addInterfaces, many('interfaces', p, true)),
    }),
    defineApi({
      name: 'removerouterinterface',
      description: "Detach a subnet from a virtual router (refused while a route's next hop needs it).",
      params: P.removerouterinterface,
      handler: (p) => removed(removeInterfaces, one(p, false)),
    }),
    defineApi({
      name: 'removerouterinterfaces',
      description: 'Detach several subnets from virtual routers in one transaction.',
      params: P.removerouterinterfaces,
      handler: (p) => removed(removeInterfaces, many('interfaces', p, false)),
    }),
    defineApi({
      name: 'listrouterinterfaces',
      description: 'The interfaces of virtual router id; other parameters filter by attribute.',
      params: P.listrouterinterfaces,
      handler: (p) =>
        list(async (st) => refsAt(st, routerMapKey(String(p.id)), 'interfaces'), without(p, 'id')),
    }),
  ];
}
