/**
 * vrouterapi's API list: VLCP's names and parameters (`api-params.ts`), each call turned into
 * items (a single call is a batch of one) and run as one transaction. Create, update and
 * addrouterinterface return the objects as stored (VLCP's dump form), delete and remove
 * return `{"status": "OK"}`, list returns the matching objects.
 */
import { type ApiDefinition, defineApi } from '../runtime';
import { apiCalls, many, one, without } from '../viperflow/api-calls';
import { refsAt } from '../viperflow/list-ops';
import type { StoreAccess } from '../viperflow/store-access';
import { P } from './api-params';
import { addInterfaces, removeInterfaces } from './interface-ops';
import { routerKey, routerMapKey, routerSetKey } from './keys';
import { createRouters, deleteRouters, updateRouters } from './router-ops';

export function vrouterApis(store: StoreAccess): readonly ApiDefinition[] {
  const { changed, removed, list } = apiCalls(store);

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
