/**
 * Logical networks: each lives in one physical network and gets that network's isolation id
 * — a VLAN id (`vlanid`, vlan) or a VNI (`vni`, vxlan) — given or the lowest free one of the
 * physical network's ranges, recorded in the physical network map's `network_allocation`.
 * A native physical network carries one logical network, untagged.
 */
import { type Key, type Ref, ref } from '../../objectdb';
import { autoInt, storedAttributes } from './attributes';
import { allocateId, type IdRange, inRanges } from './id-ranges';
import type { CallItem, ItemPath } from './item-path';
import { counterKey, mapKey, mapKeyOf, objectKey, setKey } from './keys';
import type {
  LogicalNetworkMapObject,
  LogicalNetworkObject,
  PhysicalNetworkMapObject,
  PhysicalNetworkObject,
} from './model';
import { idAttrOf, rangeOf } from './physicalnetwork-ops';
import { addRef, describeRef, describeRefs, removeRef } from './ref-list';
import type { StagedTx } from './staged-tx';

const ID_ATTRS = ['vlanid', 'vni'] as const;

const NWID_ASSIGNED =
  'is the network number the controller assigns (flows carry it in metadata); it cannot be given';

/** The next free network number: cluster-wide, never reused, 1..2^32-1. */
async function takeNetworkNumber(st: StagedTx, path: ItemPath): Promise<number> {
  const counter = await st.edit<{ next: number }>(counterKey('logicalnetwork'), () => ({ next: 1 }));
  const nwid = counter.next;
  if (nwid > 0xffffffff)
    throw path.error('id', 'no network numbers left (2^32 - 1 logical networks made)', 409);
  counter.next = nwid + 1;
  return nwid;
}

/** The isolation id a call asks for, checked to be the kind the physical network uses. */
function requestedId(
  path: ItemPath,
  params: CallItem['params'],
  phynet: PhysicalNetworkObject,
): number | undefined {
  const own = idAttrOf(phynet.type);
  for (const attr of ID_ATTRS) {
    if (params[attr] === undefined || attr === own) continue;
    throw path.error(
      attr,
      `does not apply to physical network ${phynet.id} of type ${phynet.type}${own ? ` (it uses ${own})` : ''}`,
    );
  }
  return own !== null && params[own] !== undefined ? autoInt(path, own, params[own]) : undefined;
}

/** Records `id` for the logical network `lognetKey` in the physical network's allocation map. */
function allocate(
  path: ItemPath,
  phynet: PhysicalNetworkObject,
  map: PhysicalNetworkMapObject,
  lognetKey: Key,
  requested: number | undefined,
): number | undefined {
  const range = rangeOf(phynet.type);
  const attr = idAttrOf(phynet.type);
  if (range === null || attr === null) return undefined;
  const ranges = (phynet[range.attr] ?? []) as readonly IdRange[];
  let id: number;
  if (requested !== undefined) {
    if (!inRanges(requested, ranges)) {
      throw path.error(
        attr,
        `${range.space.what} ${requested} is outside physical network ${phynet.id}'s ${range.attr} ${JSON.stringify(ranges)}`,
      );
    }
    const holder = map.network_allocation[String(requested)];
    if (holder !== undefined) {
      throw path.error(
        attr,
        `${range.space.what} ${requested} is already used by ${describeRef(holder)}`,
        409,
      );
    }
    id = requested;
  } else {
    const used = new Set(Object.keys(map.network_allocation).map(Number));
    try {
      id = allocateId(ranges, used, range.space);
    } catch {
      throw path.error(
        'physicalnetwork',
        `no free ${range.space.what} left in physical network ${phynet.id}'s ${range.attr} ${JSON.stringify(ranges)}`,
        409,
      );
    }
  }
  map.network_allocation[String(id)] = ref(lognetKey);
  return id;
}

export async function createLogicalNetworks(st: StagedTx, items: readonly CallItem[]): Promise<Key[]> {
  const keys = items.map(({ path, params }) =>
    path.key('id', () => objectKey('logicalnetwork', String(params.id))),
  );
  const phyKeys = items.map(({ path, params }) =>
    path.key('physicalnetwork', () => objectKey('physicalnetwork', String(params.physicalnetwork))),
  );
  await st.load([
    ...keys,
    ...phyKeys,
    ...phyKeys.map((k) => mapKeyOf('physicalnetwork', k)),
    setKey('logicalnetwork'),
    counterKey('logicalnetwork'),
  ]);
  const seen = new Set<Key>();
  for (const [i, { path, params }] of items.entries()) {
    if (seen.has(keys[i]!))
      throw path.error('id', `logical network ${String(params.id)} appears twice in this call`);
    seen.add(keys[i]!);
  }
  // Requested ids first, so that an automatic pick never takes one asked for later in the batch.
  const order = [...items.keys()].sort(
    (a, b) => Number(hasRequestedId(items[b]!)) - Number(hasRequestedId(items[a]!)) || a - b,
  );
  for (const i of order) {
    const { path, params } = items[i]!;
    const key = keys[i]!;
    const id = String(params.id);
    const phynetId = String(params.physicalnetwork);
    const phynet = await st.get<PhysicalNetworkObject>(phyKeys[i]!);
    if (phynet === null)
      throw path.error('physicalnetwork', `physical network ${phynetId} does not exist`, 404);
    if ((await st.get(key)) !== null) throw path.error('id', `logical network ${id} already exists`, 409);
    const requested = requestedId(path, params, phynet);
    const map = await phynetMap(st, path, phyKeys[i]!);
    if (phynet.type === 'native' && map.logicalnetworks.length > 0) {
      throw path.error(
        'physicalnetwork',
        `physical network ${phynetId} is native and already carries ${describeRefs(map.logicalnetworks)}`,
        409,
      );
    }
    const allocated = allocate(path, phynet, map, key, requested);
    const attr = idAttrOf(phynet.type);
    const obj: LogicalNetworkObject = {
      ...storedAttributes(path, params, ['id', 'physicalnetwork', ...ID_ATTRS], { nwid: NWID_ASSIGNED }),
      id,
      nwid: await takeNetworkNumber(st, path),
      physicalnetwork: ref(phyKeys[i]!),
      ...(attr !== null && allocated !== undefined ? { [attr]: allocated } : {}),
    };
    st.put(key, obj);
    const lmap: LogicalNetworkMapObject = {
      id,
      network: ref(key),
      subnets: [],
      ports: [],
      mac_addresses: {},
    };
    st.put(mapKey('logicalnetwork', id), lmap);
    addRef(map.logicalnetworks, key);
    addRef(await st.edit<Ref[]>(setKey('logicalnetwork'), () => []), key);
  }
  return keys;
}

/** The physical network's map, for editing; its absence means a damaged store. */
async function phynetMap(st: StagedTx, path: ItemPath, phynetKey: string): Promise<PhysicalNetworkMapObject> {
  const map = await st.editIfPresent<PhysicalNetworkMapObject>(mapKeyOf('physicalnetwork', phynetKey));
  if (map === null)
    throw path.error(
      'physicalnetwork',
      `${describeRef(ref(phynetKey))} has no map ${mapKeyOf('physicalnetwork', phynetKey)}`,
      409,
    );
  return map;
}

function hasRequestedId(item: CallItem): boolean {
  return ID_ATTRS.some((a) => item.params[a] !== undefined);
}

export async function updateLogicalNetworks(st: StagedTx, items: readonly CallItem[]): Promise<Key[]> {
  const keys = items.map(({ path, params }) =>
    path.key('id', () => objectKey('logicalnetwork', String(params.id))),
  );
  await st.load(keys);
  const seen = new Set<Key>();
  const current: LogicalNetworkObject[] = [];
  for (const [i, { path, params }] of items.entries()) {
    const id = String(params.id);
    if (seen.has(keys[i]!)) throw path.error('id', `logical network ${id} appears twice in this call`);
    seen.add(keys[i]!);
    const cur = await st.get<LogicalNetworkObject>(keys[i]!);
    if (cur === null) throw path.error('id', `logical network ${id} does not exist`, 404);
    current.push(cur);
  }
  await st.load(
    current.flatMap((c) => [
      c.physicalnetwork.$ref as Key,
      mapKeyOf('physicalnetwork', c.physicalnetwork.$ref),
    ]),
  );
  // Free every id that changes before taking the new ones, so that a batch may swap ids.
  const requests: (number | undefined)[] = [];
  for (const [i, { path, params }] of items.entries()) {
    const cur = current[i]!;
    const phynet = await st.get<PhysicalNetworkObject>(cur.physicalnetwork.$ref as Key);
    if (phynet === null)
      throw path.error('id', `the physical network of logical network ${cur.id} is missing`, 409);
    const requested = requestedId(path, params, phynet);
    requests.push(requested);
    const attr = idAttrOf(phynet.type);
    if (requested === undefined || attr === null) continue;
    const map = await phynetMap(st, path, cur.physicalnetwork.$ref);
    delete map.network_allocation[String(cur[attr])];
  }
  for (const [i, { path, params }] of items.entries()) {
    const cur = current[i]!;
    const phynet = (await st.get<PhysicalNetworkObject>(cur.physicalnetwork.$ref as Key))!;
    const attrs = storedAttributes(path, params, ['id', ...ID_ATTRS], {
      physicalnetwork: 'the physical network of a logical network cannot be changed',
      nwid: NWID_ASSIGNED,
    });
    const requested = requests[i];
    const attr = idAttrOf(phynet.type);
    let idPart = {};
    if (requested !== undefined && attr !== null) {
      const map = await phynetMap(st, path, cur.physicalnetwork.$ref);
      idPart = { [attr]: allocate(path, phynet, map, keys[i]!, requested) };
    }
    st.put(keys[i]!, { ...cur, ...attrs, ...idPart });
  }
  return keys;
}

export async function deleteLogicalNetworks(st: StagedTx, items: readonly CallItem[]): Promise<void> {
  const keys = items.map(({ path, params }) =>
    path.key('id', () => objectKey('logicalnetwork', String(params.id))),
  );
  await st.load([...keys, ...keys.map((k) => mapKeyOf('logicalnetwork', k)), setKey('logicalnetwork')]);
  const seen = new Set<Key>();
  for (const [i, { path, params }] of items.entries()) {
    const key = keys[i]!;
    const id = String(params.id);
    if (seen.has(key)) throw path.error('id', `logical network ${id} appears twice in this call`);
    seen.add(key);
    const cur = await st.get<LogicalNetworkObject>(key);
    if (cur === null) throw path.error('id', `logical network ${id} does not exist`, 404);
    const lmk = mapKeyOf('logicalnetwork', key);
    const lmap = await st.get<LogicalNetworkMapObject>(lmk);
    if (lmap && lmap.subnets.length > 0) {
      throw path.error('id', `logical network ${id} still has ${describeRefs(lmap.subnets)}`, 409);
    }
    if (lmap && lmap.ports.length > 0) {
      throw path.error('id', `logical network ${id} still has ${describeRefs(lmap.ports)}`, 409);
    }
    const pmap = await st.editIfPresent<PhysicalNetworkMapObject>(
      mapKeyOf('physicalnetwork', cur.physicalnetwork.$ref),
    );
    if (pmap) {
      removeRef(pmap.logicalnetworks, key);
      for (const [n, holder] of Object.entries(pmap.network_allocation)) {
        if (holder.$ref === key) delete pmap.network_allocation[n];
      }
    }
    st.put(key, null);
    st.put(lmk, null);
    removeRef(await st.edit<Ref[]>(setKey('logicalnetwork'), () => []), key);
  }
}
