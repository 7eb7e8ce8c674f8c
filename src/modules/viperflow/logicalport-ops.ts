/**
 * Logical ports: a port of a logical network (optionally in one of its subnets) with a MAC
 * address unique in that network (given, or a random local one) and, with a subnet, an IPv4
 * address from the subnet's pool (given, or the lowest free one). The logical network map
 * records ports and MACs, the subnet map the addresses.
 */
import { type Key, type Ref, ref } from '../../objectdb';
import { ipv4FromNumber, parseMacAddress } from '../../openflow/packet';
import { ADDRESS_PAIRS, parseAddressPairs } from './address-pairs';
import { storedAttributes } from './attributes';
import type { CallItem, ItemPath } from './item-path';
import { mapKeyOf, objectKey, setKey } from './keys';
import { pickMac } from './mac-address-pick';
import type { LogicalNetworkMapObject, LogicalPortObject, SubnetMapObject, SubnetObject } from './model';
import { addRef, describeRef, removeRef } from './ref-list';
import type { StagedTx } from './staged-tx';
import { parseAddress } from './subnet';
import { subnetLayout } from './subnet-ops';

/** Takes `mac` (or a fresh one) for `port` in the network map. */
function takeMac(path: ItemPath, lmap: LogicalNetworkMapObject, port: Key, mac: string | undefined): string {
  if (mac !== undefined) {
    const holder = lmap.mac_addresses[mac];
    if (holder !== undefined && holder.$ref !== port) {
      throw path.error(
        'mac_address',
        `${mac} is already used by ${describeRef(holder)} in logical network ${lmap.id}`,
        409,
      );
    }
    lmap.mac_addresses[mac] = ref(port);
    return mac;
  }
  const picked = pickMac((m) => lmap.mac_addresses[m] !== undefined);
  if (picked === null)
    throw path.error('mac_address', `no free MAC address found in logical network ${lmap.id}`, 409);
  lmap.mac_addresses[picked] = ref(port);
  return picked;
}

/** Numeric form of each subnet map's addresses, kept beside it for the transaction (batches). */
const usedCache = new WeakMap<SubnetMapObject, Set<number>>();

function usedAddresses(smap: SubnetMapObject): Set<number> {
  let used = usedCache.get(smap);
  if (used === undefined) {
    used = new Set(Object.keys(smap.allocated_ips).map((a) => parseAddress(a, 'ip')));
    usedCache.set(smap, used);
  }
  return used;
}

function hold(smap: SubnetMapObject, ip: string, port: Key): void {
  smap.allocated_ips[ip] = ref(port);
  usedAddresses(smap).add(parseAddress(ip, 'ip'));
}

/** Frees `ip` in the subnet map if `port` holds it. */
function release(smap: SubnetMapObject, ip: string, port: Key): void {
  if (smap.allocated_ips[ip]?.$ref !== port) return;
  delete smap.allocated_ips[ip];
  usedAddresses(smap).delete(parseAddress(ip, 'ip'));
}

/** Takes `ip` (or the lowest free address of the pool, never the gateway) for `port`. */
function takeAddress(
  path: ItemPath,
  subnet: SubnetObject,
  smap: SubnetMapObject,
  port: Key,
  ip: string | undefined,
): string {
  const layout = subnetLayout(path, subnet);
  const pool = `pool ${subnet.allocated_start}-${subnet.allocated_end}`;
  if (ip !== undefined) {
    const n = parseAddress(ip, path.field('ip_address'));
    if (n < layout.pool.start || n > layout.pool.end || n === layout.gateway) {
      throw path.error(
        'ip_address',
        `${ip} is not a usable address of subnet ${subnet.id} (${pool}${subnet.gateway ? `, gateway ${subnet.gateway}` : ''})`,
      );
    }
    const canonical = ipv4FromNumber(n);
    const holder = smap.allocated_ips[canonical];
    if (holder !== undefined && holder.$ref !== port) {
      throw path.error(
        'ip_address',
        `${canonical} is already used by ${describeRef(holder)} in subnet ${subnet.id}`,
        409,
      );
    }
    hold(smap, canonical, port);
    return canonical;
  }
  const used = usedAddresses(smap);
  for (let a = layout.pool.start; a <= layout.pool.end; a++) {
    if (a === layout.gateway || used.has(a)) continue;
    const picked = ipv4FromNumber(a);
    hold(smap, picked, port);
    return picked;
  }
  throw path.error('subnet', `no free address left in subnet ${subnet.id} (${pool})`, 409);
}

const HANDLED = ['id', 'logicalnetwork', 'subnet', 'mac_address', 'ip_address', ADDRESS_PAIRS];

export async function createLogicalPorts(st: StagedTx, items: readonly CallItem[]): Promise<Key[]> {
  const keys = items.map(({ path, params }) =>
    path.key('id', () => objectKey('logicalport', String(params.id))),
  );
  const netKeys = items.map(({ path, params }) =>
    path.key('logicalnetwork', () => objectKey('logicalnetwork', String(params.logicalnetwork))),
  );
  const subnetKeys = items.map(({ path, params }) =>
    params.subnet === undefined || params.subnet === null
      ? null
      : path.key('subnet', () => objectKey('subnet', String(params.subnet))),
  );
  const subs = subnetKeys.filter((k): k is Key => k !== null);
  await st.load([
    ...keys,
    ...netKeys,
    ...netKeys.map((k) => mapKeyOf('logicalnetwork', k)),
    ...subs,
    ...subs.map((k) => mapKeyOf('subnet', k)),
    setKey('logicalport'),
  ]);
  const seen = new Set<Key>();
  for (const [i, { path, params }] of items.entries()) {
    if (seen.has(keys[i]!))
      throw path.error('id', `logical port ${String(params.id)} appears twice in this call`);
    seen.add(keys[i]!);
  }
  const pairs = items.map(({ path, params }) =>
    params[ADDRESS_PAIRS] === undefined
      ? null
      : parseAddressPairs(path, String(params.id), params[ADDRESS_PAIRS]),
  );
  // Given addresses first, so that an automatic pick never takes one asked for later in the batch.
  const given = (c: CallItem) =>
    Number(c.params.ip_address !== undefined) * 2 + Number(c.params.mac_address !== undefined);
  const order = [...items.keys()].sort((a, b) => given(items[b]!) - given(items[a]!) || a - b);
  for (const i of order) {
    const { path, params } = items[i]!;
    const key = keys[i]!;
    const id = String(params.id);
    const netId = String(params.logicalnetwork);
    if ((await st.get(netKeys[i]!)) === null) {
      throw path.error('logicalnetwork', `logical network ${netId} does not exist`, 404);
    }
    if ((await st.get(key)) !== null) throw path.error('id', `logical port ${id} already exists`, 409);
    const lmap = await st.editIfPresent<LogicalNetworkMapObject>(mapKeyOf('logicalnetwork', netKeys[i]!));
    if (lmap === null) throw path.error('logicalnetwork', `logical network ${netId} has no map`, 409);
    const given_mac =
      typeof params.mac_address === 'string' ? parseMacAddress(params.mac_address) : undefined;
    const mac = takeMac(path, lmap, key, given_mac);
    const subnetKey = subnetKeys[i];
    let addressing: { subnet?: Ref; ip_address?: string } = {};
    if (subnetKey !== null && subnetKey !== undefined) {
      const subnet = await st.get<SubnetObject>(subnetKey);
      if (subnet === null) throw path.error('subnet', `subnet ${String(params.subnet)} does not exist`, 404);
      if (subnet.network.$ref !== netKeys[i]) {
        throw path.error('subnet', `subnet ${subnet.id} is not in logical network ${netId}`);
      }
      const smap = await st.editIfPresent<SubnetMapObject>(mapKeyOf('subnet', subnetKey));
      if (smap === null) throw path.error('subnet', `subnet ${subnet.id} has no map`, 409);
      const ip = typeof params.ip_address === 'string' ? params.ip_address : undefined;
      addressing = { subnet: ref(subnetKey), ip_address: takeAddress(path, subnet, smap, key, ip) };
    } else if (params.ip_address !== undefined) {
      throw path.error('ip_address', 'an address needs a subnet: give subnet as well');
    }
    const obj: LogicalPortObject = {
      ...storedAttributes(path, params, HANDLED, { network: 'is set from logicalnetwork' }),
      id,
      network: ref(netKeys[i]!),
      ...addressing,
      mac_address: mac,
      ...(pairs[i] !== null ? { [ADDRESS_PAIRS]: pairs[i]! } : {}),
    };
    st.put(key, obj);
    addRef(lmap.ports, key);
    addRef(await st.edit<Ref[]>(setKey('logicalport'), () => []), key);
  }
  return keys;
}

export async function updateLogicalPorts(st: StagedTx, items: readonly CallItem[]): Promise<Key[]> {
  const keys = items.map(({ path, params }) =>
    path.key('id', () => objectKey('logicalport', String(params.id))),
  );
  await st.load(keys);
  const seen = new Set<Key>();
  const current: LogicalPortObject[] = [];
  for (const [i, { path, params }] of items.entries()) {
    const id = String(params.id);
    if (seen.has(keys[i]!)) throw path.error('id', `logical port ${id} appears twice in this call`);
    seen.add(keys[i]!);
    const cur = await st.get<LogicalPortObject>(keys[i]!);
    if (cur === null) throw path.error('id', `logical port ${id} does not exist`, 404);
    if (params.ip_address !== undefined && cur.subnet === undefined) {
      throw path.error('ip_address', `logical port ${id} has no subnet to take an address from`);
    }
    current.push(cur);
  }
  const pairs = items.map(({ path, params }) =>
    params[ADDRESS_PAIRS] === undefined
      ? undefined
      : parseAddressPairs(path, String(params.id), params[ADDRESS_PAIRS]),
  );
  await st.load(
    current.flatMap((c) => [
      mapKeyOf('logicalnetwork', c.network.$ref),
      ...(c.subnet ? [c.subnet.$ref as Key, mapKeyOf('subnet', c.subnet.$ref)] : []),
    ]),
  );
  // Release every changing MAC and address first, so that a batch may swap them.
  for (const [i, { params }] of items.entries()) {
    const cur = current[i]!;
    if (params.mac_address !== undefined) {
      const lmap = await st.editIfPresent<LogicalNetworkMapObject>(
        mapKeyOf('logicalnetwork', cur.network.$ref),
      );
      if (lmap && lmap.mac_addresses[cur.mac_address]?.$ref === keys[i])
        delete lmap.mac_addresses[cur.mac_address];
    }
    if (params.ip_address !== undefined && cur.subnet && cur.ip_address) {
      const smap = await st.editIfPresent<SubnetMapObject>(mapKeyOf('subnet', cur.subnet.$ref));
      if (smap) release(smap, cur.ip_address, keys[i]!);
    }
  }
  for (const [i, { path, params }] of items.entries()) {
    const cur = current[i]!;
    const attrs = storedAttributes(
      path,
      params,
      HANDLED.filter((h) => h !== 'logicalnetwork' && h !== 'subnet'),
      {
        logicalnetwork: 'the logical network of a logical port cannot be changed',
        network: 'the logical network of a logical port cannot be changed',
        subnet: 'the subnet of a logical port cannot be changed',
      },
    );
    const next: Record<string, unknown> = { ...cur, ...attrs };
    const newPairs = pairs[i];
    if (newPairs === null) delete next[ADDRESS_PAIRS];
    else if (newPairs !== undefined) next[ADDRESS_PAIRS] = newPairs;
    if (typeof params.mac_address === 'string') {
      const lmap = await st.editIfPresent<LogicalNetworkMapObject>(
        mapKeyOf('logicalnetwork', cur.network.$ref),
      );
      if (lmap === null)
        throw path.error('id', `the logical network of logical port ${cur.id} has no map`, 409);
      next.mac_address = takeMac(path, lmap, keys[i]!, parseMacAddress(params.mac_address));
    }
    if (typeof params.ip_address === 'string' && cur.subnet) {
      const subnet = await st.get<SubnetObject>(cur.subnet.$ref as Key);
      const smap = await st.editIfPresent<SubnetMapObject>(mapKeyOf('subnet', cur.subnet.$ref));
      if (subnet === null || smap === null)
        throw path.error('id', `the subnet of logical port ${cur.id} is missing`, 409);
      next.ip_address = takeAddress(path, subnet, smap, keys[i]!, params.ip_address);
    }
    st.put(keys[i]!, next);
  }
  return keys;
}

export async function deleteLogicalPorts(st: StagedTx, items: readonly CallItem[]): Promise<void> {
  const keys = items.map(({ path, params }) =>
    path.key('id', () => objectKey('logicalport', String(params.id))),
  );
  await st.load([...keys, setKey('logicalport')]);
  const seen = new Set<Key>();
  for (const [i, { path, params }] of items.entries()) {
    const key = keys[i]!;
    const id = String(params.id);
    if (seen.has(key)) throw path.error('id', `logical port ${id} appears twice in this call`);
    seen.add(key);
    const cur = await st.get<LogicalPortObject>(key);
    if (cur === null) throw path.error('id', `logical port ${id} does not exist`, 404);
    const lmap = await st.editIfPresent<LogicalNetworkMapObject>(
      mapKeyOf('logicalnetwork', cur.network.$ref),
    );
    if (lmap) {
      removeRef(lmap.ports, key);
      if (lmap.mac_addresses[cur.mac_address]?.$ref === key) delete lmap.mac_addresses[cur.mac_address];
    }
    if (cur.subnet && cur.ip_address) {
      const smap = await st.editIfPresent<SubnetMapObject>(mapKeyOf('subnet', cur.subnet.$ref));
      if (smap) release(smap, cur.ip_address, key);
    }
    st.put(key, null);
    removeRef(await st.edit<Ref[]>(setKey('logicalport'), () => []), key);
  }
}
