/**
 * Physical ports: which OVS port (by name, optionally per vhost / systemid / bridge, `%`
 * meaning any) carries a physical network. Keyed by those four values as VLCP does.
 */
import { type Key, type Ref, ref } from '../../objectdb';
import { storedAttributes } from './attributes';
import type { CallItem, ItemPath } from './item-path';
import { mapKey, mapKeyOf, objectKey, type PhysicalPortId, physicalPortKey, setKey } from './keys';
import type { PhysicalNetworkMapObject, PhysicalPortObject } from './model';
import { addRef, describeRef, removeRef } from './ref-list';
import type { StagedTx } from './staged-tx';

const WHERE = ['name', 'vhost', 'systemid', 'bridge'] as const;

/** The port's identity with VLCP's defaults (vhost '', systemid and bridge '%'). */
export function physicalPortId(params: CallItem['params']): PhysicalPortId {
  return {
    name: String(params.name),
    vhost: typeof params.vhost === 'string' ? params.vhost : '',
    systemid: typeof params.systemid === 'string' ? params.systemid : '%',
    bridge: typeof params.bridge === 'string' ? params.bridge : '%',
  };
}

function portKeys(items: readonly CallItem[]): { key: Key; where: PhysicalPortId }[] {
  return items.map(({ path, params }) => {
    const where = physicalPortId(params);
    return { key: path.key('name', () => physicalPortKey(where)), where };
  });
}

function once(path: ItemPath, seen: Set<Key>, key: Key): void {
  if (seen.has(key)) throw path.error('name', `${describeRef(ref(key))} appears twice in this call`);
  seen.add(key);
}

export async function createPhysicalPorts(st: StagedTx, items: readonly CallItem[]): Promise<Key[]> {
  const ports = portKeys(items);
  const nets = items.map(({ path, params }) =>
    path.key('physicalnetwork', () => objectKey('physicalnetwork', String(params.physicalnetwork))),
  );
  await st.load([
    ...ports.map((p) => p.key),
    ...nets,
    ...items.map(({ params }) => mapKey('physicalnetwork', String(params.physicalnetwork))),
    setKey('physicalport'),
  ]);
  const seen = new Set<Key>();
  for (const [i, { path, params }] of items.entries()) {
    const { key, where } = ports[i]!;
    once(path, seen, key);
    const phynetId = String(params.physicalnetwork);
    if ((await st.get(nets[i]!)) === null) {
      throw path.error('physicalnetwork', `physical network ${phynetId} does not exist`, 404);
    }
    if ((await st.get(key)) !== null)
      throw path.error('name', `${describeRef(ref(key))} already exists`, 409);
    const obj: PhysicalPortObject = {
      ...storedAttributes(path, params, [...WHERE, 'physicalnetwork']),
      ...where,
      physicalnetwork: ref(nets[i]!),
    };
    st.put(key, obj);
    const map = await st.editIfPresent<PhysicalNetworkMapObject>(mapKey('physicalnetwork', phynetId));
    if (map) addRef(map.ports, key);
    addRef(await st.edit<Ref[]>(setKey('physicalport'), () => []), key);
  }
  return ports.map((p) => p.key);
}

export async function updatePhysicalPorts(st: StagedTx, items: readonly CallItem[]): Promise<Key[]> {
  const ports = portKeys(items);
  await st.load(ports.map((p) => p.key));
  const seen = new Set<Key>();
  for (const [i, { path, params }] of items.entries()) {
    const { key } = ports[i]!;
    once(path, seen, key);
    const cur = await st.get<PhysicalPortObject>(key);
    if (cur === null) throw path.error('name', `${describeRef(ref(key))} does not exist`, 404);
    const attrs = storedAttributes(path, params, WHERE, {
      physicalnetwork: 'the physical network of a physical port cannot be changed (delete and create it)',
    });
    st.put(key, { ...cur, ...attrs });
  }
  return ports.map((p) => p.key);
}

export async function deletePhysicalPorts(st: StagedTx, items: readonly CallItem[]): Promise<void> {
  const ports = portKeys(items);
  await st.load([...ports.map((p) => p.key), setKey('physicalport')]);
  const seen = new Set<Key>();
  for (const [i, { path }] of items.entries()) {
    const { key } = ports[i]!;
    once(path, seen, key);
    const cur = await st.get<PhysicalPortObject>(key);
    if (cur === null) throw path.error('name', `${describeRef(ref(key))} does not exist`, 404);
    const mk = mapKeyOf('physicalnetwork', cur.physicalnetwork.$ref);
    const map = await st.editIfPresent<PhysicalNetworkMapObject>(mk);
    if (map) removeRef(map.ports, key);
    st.put(key, null);
    removeRef(await st.edit<Ref[]>(setKey('physicalport'), () => []), key);
  }
}
