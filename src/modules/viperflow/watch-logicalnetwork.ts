/**
 * What a flow compiler watches for one logical network: its map
 * (`viperflow.logicalnetworkmap.<id>`) and everything reachable from it by references — the
 * logical network, its physical network, its subnets and its logical ports. Creating or
 * changing objects of other networks touches none of these keys, so the watch stays quiet.
 */
import { type ObjectDb, refsIn, type Watch } from '../../objectdb';
import { mapKey } from './keys';

export function watchLogicalNetwork(db: ObjectDb, id: string): Promise<Watch> {
  return db.watchWalk([mapKey('logicalnetwork', id)], (_key, value) => refsIn(value));
}
