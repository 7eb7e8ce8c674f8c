/**
 * What an L3 flow compiler watches for one router: its map (`vrouterapi.virtualroutermap.<id>`)
 * and everything reachable from it — the router (routes), its interfaces, their subnets, the
 * subnets' logical and physical networks — plus each attached logical network's map, which
 * brings in the network's logical ports (addresses and MACs to route to). Other routers, and
 * networks not attached to this one, touch none of these keys.
 */
import { type Key, type ObjectDb, refsIn, type Watch } from '../../objectdb';
import { idOfKey, mapKey } from '../viperflow/keys';
import { routerMapKey } from './keys';

export function watchVirtualRouter(db: ObjectDb, id: string): Promise<Watch> {
  return db.watchWalk([routerMapKey(id)], (key, value) => {
    const refs: Key[] = [...refsIn(value)];
    const network = idOfKey('logicalnetwork', key);
    if (network !== null) refs.push(mapKey('logicalnetwork', network));
    return refs;
  });
}
