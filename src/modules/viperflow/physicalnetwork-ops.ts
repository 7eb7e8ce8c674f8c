/**
 * Physical networks: create, update and delete inside one staged transaction. A physical
 * network's type decides how its logical networks are told apart: `vlan` (a VLAN id from
 * `vlanrange`), `vxlan` (a VNI from `vnirange`) or `native` (untagged: one logical network).
 */
import { type Key, type Ref, ref } from '../../objectdb';
import { storedAttributes } from './attributes';
import { checkRanges, type IdRange, type IdSpace, inRanges, VLAN_IDS, VNIS } from './id-ranges';
import type { CallItem, ItemPath } from './item-path';
import { mapKey, objectKey, setKey } from './keys';
import type { PhysicalNetworkMapObject, PhysicalNetworkObject } from './model';
import { addRef, describeRef, describeRefs, removeRef } from './ref-list';
import type { StagedTx } from './staged-tx';

export const NETWORK_TYPES = ['vlan', 'vxlan', 'native'] as const;

/** Which range attribute and id space a physical network type allocates from. */
export function rangeOf(
  type: string,
): { readonly attr: 'vlanrange' | 'vnirange'; readonly space: IdSpace } | null {
  if (type === 'vlan') return { attr: 'vlanrange', space: VLAN_IDS };
  if (type === 'vxlan') return { attr: 'vnirange', space: VNIS };
  return null;
}

/** The attribute a logical network keeps its id in: `vlanid` (vlan) or `vni` (vxlan). */
export function idAttrOf(type: string): 'vlanid' | 'vni' | null {
  return type === 'vlan' ? 'vlanid' : type === 'vxlan' ? 'vni' : null;
}

function checkedRanges(path: ItemPath, type: string, params: CallItem['params']): Record<string, IdRange[]> {
  const own = rangeOf(type);
  const out: Record<string, IdRange[]> = {};
  for (const attr of ['vlanrange', 'vnirange'] as const) {
    if (params[attr] === undefined) continue;
    if (own?.attr !== attr) throw path.error(attr, `does not apply to a physical network of type ${type}`);
    out[attr] = checkRanges(params[attr], own.space, path.field(attr));
  }
  return out;
}

export async function createPhysicalNetworks(st: StagedTx, items: readonly CallItem[]): Promise<Key[]> {
  const keys = items.map(({ path, params }) =>
    path.key('id', () => objectKey('physicalnetwork', String(params.id))),
  );
  await st.load([...keys, setKey('physicalnetwork')]);
  const seen = new Set<Key>();
  for (const [i, { path, params }] of items.entries()) {
    const key = keys[i]!;
    const id = String(params.id);
    if (seen.has(key)) throw path.error('id', `physical network ${id} appears twice in this call`);
    seen.add(key);
    const type = String(params.type);
    if (!(NETWORK_TYPES as readonly string[]).includes(type)) {
      throw path.error(
        'type',
        `unknown physical network type ${JSON.stringify(type)} (known: ${NETWORK_TYPES.join(', ')})`,
      );
    }
    const own = rangeOf(type);
    if (own !== null && params[own.attr] === undefined) {
      throw path.error(own.attr, `is required for a physical network of type ${type}`);
    }
    if ((await st.get(key)) !== null) throw path.error('id', `physical network ${id} already exists`, 409);
    const obj: PhysicalNetworkObject = {
      ...storedAttributes(path, params, ['id', 'type', 'vlanrange', 'vnirange']),
      id,
      type,
      ...checkedRanges(path, type, params),
    };
    st.put(key, obj);
    const map: PhysicalNetworkMapObject = {
      id,
      network: ref(key),
      logicalnetworks: [],
      ports: [],
      network_allocation: {},
    };
    st.put(mapKey('physicalnetwork', id), map);
    addRef(await st.edit<Ref[]>(setKey('physicalnetwork'), () => []), key);
  }
  return keys;
}

export async function updatePhysicalNetworks(st: StagedTx, items: readonly CallItem[]): Promise<Key[]> {
  const keys = items.map(({ path, params }) =>
    path.key('id', () => objectKey('physicalnetwork', String(params.id))),
  );
  await st.load([...keys, ...items.map(({ params }) => mapKey('physicalnetwork', String(params.id)))]);
  const seen = new Set<Key>();
  for (const [i, { path, params }] of items.entries()) {
    const key = keys[i]!;
    const id = String(params.id);
    if (seen.has(key)) throw path.error('id', `physical network ${id} appears twice in this call`);
    seen.add(key);
    const cur = await st.get<PhysicalNetworkObject>(key);
    if (cur === null) throw path.error('id', `physical network ${id} does not exist`, 404);
    if (params.type !== undefined && params.type !== cur.type) {
      throw path.error('type', `the type of physical network ${id} cannot be changed (it is ${cur.type})`);
    }
    const ranges = checkedRanges(path, cur.type, params);
    const own = rangeOf(cur.type);
    const next = own ? ranges[own.attr] : undefined;
    if (own && next) {
      const map = await st.get<PhysicalNetworkMapObject>(mapKey('physicalnetwork', id));
      for (const [n, holder] of Object.entries(map?.network_allocation ?? {})) {
        if (!inRanges(Number(n), next)) {
          throw path.error(
            own.attr,
            `${own.space.what} ${n} is used by ${describeRef(holder)} and would fall outside the new ranges`,
            409,
          );
        }
      }
    }
    st.put(key, {
      ...cur,
      ...storedAttributes(path, params, ['id', 'type', 'vlanrange', 'vnirange']),
      ...ranges,
    });
  }
  return keys;
}

export async function deletePhysicalNetworks(st: StagedTx, items: readonly CallItem[]): Promise<void> {
  const keys = items.map(({ path, params }) =>
    path.key('id', () => objectKey('physicalnetwork', String(params.id))),
  );
  await st.load([
    ...keys,
    ...items.map(({ params }) => mapKey('physicalnetwork', String(params.id))),
    setKey('physicalnetwork'),
  ]);
  const seen = new Set<Key>();
  for (const [i, { path, params }] of items.entries()) {
    const key = keys[i]!;
    const id = String(params.id);
    if (seen.has(key)) throw path.error('id', `physical network ${id} appears twice in this call`);
    seen.add(key);
    if ((await st.get(key)) === null) throw path.error('id', `physical network ${id} does not exist`, 404);
    const mk = mapKey('physicalnetwork', id);
    const map = await st.get<PhysicalNetworkMapObject>(mk);
    if (map && map.logicalnetworks.length > 0) {
      throw path.error('id', `physical network ${id} still has ${describeRefs(map.logicalnetworks)}`, 409);
    }
    if (map && map.ports.length > 0) {
      throw path.error('id', `physical network ${id} still has ${describeRefs(map.ports)}`, 409);
    }
    st.put(key, null);
    st.put(mk, null);
    removeRef(await st.edit<Ref[]>(setKey('physicalnetwork'), () => []), key);
  }
}
