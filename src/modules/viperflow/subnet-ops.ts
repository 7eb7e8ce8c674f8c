/**
 * Subnets of logical networks: an IPv4 CIDR (stored in network form, as VLCP normalises it),
 * an optional gateway, the pool ports get addresses from (`allocated_start`..`allocated_end`),
 * and the subnet map's `allocated_ips` recording which address each port holds. Subnets of
 * one logical network never overlap, so an address names one port on the wire.
 */
import { type Key, type Ref, ref } from '../../objectdb';
import { ipv4FromNumber } from '../../openflow/packet';
import { preHostConfig, storedAttributes } from './attributes';
import type { CallItem, ItemPath } from './item-path';
import { mapKey, mapKeyOf, objectKey, setKey } from './keys';
import type { LogicalNetworkMapObject, SubnetMapObject, SubnetObject } from './model';
import { addRef, describeRef, describeRefs, removeRef } from './ref-list';
import type { StagedTx } from './staged-tx';
import {
  allocationPool,
  type Cidr,
  contains,
  formatCidr,
  type Pool,
  parseAddress,
  parseCidr,
} from './subnet';

/** What the subnet's addressing attributes mean, checked against each other. */
export interface SubnetLayout {
  readonly cidr: Cidr;
  readonly pool: Pool;
  readonly gateway: number | undefined;
}

/** Checks cidr, gateway and pool of a subnet's attributes (as they will be stored). */
export function subnetLayout(
  path: ItemPath,
  s: {
    readonly cidr?: unknown;
    readonly gateway?: unknown;
    readonly allocated_start?: unknown;
    readonly allocated_end?: unknown;
  },
): SubnetLayout {
  const cidr = parseCidr(String(s.cidr), path.field('cidr'), false);
  const gateway = s.gateway === undefined ? undefined : parseAddress(s.gateway, path.field('gateway'));
  if (gateway !== undefined && !contains(cidr, gateway)) {
    throw path.error('gateway', `${String(s.gateway)} is not in ${formatCidr(cidr)}`);
  }
  let pool: Pool;
  try {
    pool = allocationPool(
      cidr,
      s.allocated_start === undefined ? undefined : String(s.allocated_start),
      s.allocated_end === undefined ? undefined : String(s.allocated_end),
    );
  } catch (e) {
    return path.rethrow(e);
  }
  return { cidr, pool, gateway };
}

function overlaps(a: Cidr, b: Cidr): boolean {
  return contains(a, b.network) || contains(b, a.network);
}

/** Another subnet of the same logical network whose CIDR overlaps `cidr`. */
async function checkNoOverlap(
  st: StagedTx,
  path: ItemPath,
  lmap: LogicalNetworkMapObject,
  self: Key,
  cidr: Cidr,
): Promise<void> {
  await st.load(lmap.subnets.map((r) => r.$ref as Key));
  for (const r of lmap.subnets) {
    if (r.$ref === self) continue;
    const other = await st.get<SubnetObject>(r.$ref as Key);
    if (other === null) continue;
    const oc = parseCidr(other.cidr, 'cidr', false);
    if (overlaps(cidr, oc)) {
      throw path.error(
        'cidr',
        `${formatCidr(cidr)} overlaps ${describeRef(r)} (${other.cidr}) in logical network ${lmap.id}`,
        409,
      );
    }
  }
}

const HANDLED = [
  'id',
  'logicalnetwork',
  'cidr',
  'allocated_start',
  'allocated_end',
  'gateway',
  'pre_host_config',
];

export async function createSubnets(st: StagedTx, items: readonly CallItem[]): Promise<Key[]> {
  const keys = items.map(({ path, params }) => path.key('id', () => objectKey('subnet', String(params.id))));
  const netKeys = items.map(({ path, params }) =>
    path.key('logicalnetwork', () => objectKey('logicalnetwork', String(params.logicalnetwork))),
  );
  await st.load([
    ...keys,
    ...netKeys,
    ...netKeys.map((k) => mapKeyOf('logicalnetwork', k)),
    setKey('subnet'),
  ]);
  const seen = new Set<Key>();
  for (const [i, { path, params }] of items.entries()) {
    const key = keys[i]!;
    const id = String(params.id);
    if (seen.has(key)) throw path.error('id', `subnet ${id} appears twice in this call`);
    seen.add(key);
    const netId = String(params.logicalnetwork);
    if ((await st.get(netKeys[i]!)) === null) {
      throw path.error('logicalnetwork', `logical network ${netId} does not exist`, 404);
    }
    if ((await st.get(key)) !== null) throw path.error('id', `subnet ${id} already exists`, 409);
    const layout = subnetLayout(path, params);
    const lmap = await st.editIfPresent<LogicalNetworkMapObject>(mapKeyOf('logicalnetwork', netKeys[i]!));
    if (lmap === null) throw path.error('logicalnetwork', `logical network ${netId} has no map`, 409);
    await checkNoOverlap(st, path, lmap, key, layout.cidr);
    const obj: SubnetObject = {
      ...storedAttributes(path, params, HANDLED, {
        network: 'is set from logicalnetwork',
        router: 'is set by the virtual router APIs',
      }),
      id,
      network: ref(netKeys[i]!),
      cidr: formatCidr(layout.cidr),
      allocated_start: ipv4FromNumber(layout.pool.start),
      allocated_end: ipv4FromNumber(layout.pool.end),
      ...(layout.gateway !== undefined ? { gateway: ipv4FromNumber(layout.gateway) } : {}),
      ...(params.pre_host_config !== undefined
        ? { pre_host_config: preHostConfig(path, params.pre_host_config, formatCidr(layout.cidr)) }
        : {}),
    };
    st.put(key, obj);
    const smap: SubnetMapObject = { id, subnet: ref(key), allocated_ips: {} };
    st.put(mapKey('subnet', id), smap);
    addRef(lmap.subnets, key);
    addRef(await st.edit<Ref[]>(setKey('subnet'), () => []), key);
  }
  return keys;
}

export async function updateSubnets(st: StagedTx, items: readonly CallItem[]): Promise<Key[]> {
  const keys = items.map(({ path, params }) => path.key('id', () => objectKey('subnet', String(params.id))));
  await st.load([...keys, ...keys.map((k) => mapKeyOf('subnet', k))]);
  const seen = new Set<Key>();
  for (const [i, { path, params }] of items.entries()) {
    const key = keys[i]!;
    const id = String(params.id);
    if (seen.has(key)) throw path.error('id', `subnet ${id} appears twice in this call`);
    seen.add(key);
    const cur = await st.get<SubnetObject>(key);
    if (cur === null) throw path.error('id', `subnet ${id} does not exist`, 404);
    const attrs = storedAttributes(
      path,
      params,
      HANDLED.filter((h) => h !== 'logicalnetwork'),
      {
        logicalnetwork: 'the logical network of a subnet cannot be changed',
        network: 'the logical network of a subnet cannot be changed',
        isexternal: 'cannot be changed after the subnet is created',
        router: 'is set by the virtual router APIs',
      },
    );
    const router = (cur as { router?: Ref }).router;
    if (router !== undefined) {
      // A router interface's address and its routes' next hops depend on these.
      for (const k of ['cidr', 'gateway'] as const) {
        if (params[k] !== undefined && params[k] !== (cur as unknown as Record<string, unknown>)[k]) {
          throw path.error(
            k,
            `cannot change while the subnet is attached to a virtual router (${describeRef(router)}); remove the router interface first`,
            409,
          );
        }
      }
    }
    const merged: Record<string, unknown> = { ...cur, ...attrs };
    for (const k of ['cidr', 'allocated_start', 'allocated_end', 'gateway', 'pre_host_config'] as const) {
      if (params[k] !== undefined) merged[k] = params[k];
    }
    const layout = subnetLayout(path, merged);
    // Every address already given out must stay usable under the new settings.
    const smap = await st.get<SubnetMapObject>(mapKeyOf('subnet', key));
    for (const [ip, holder] of Object.entries(smap?.allocated_ips ?? {})) {
      const n = parseAddress(ip, 'ip');
      const why = !contains(layout.cidr, n)
        ? `is outside ${formatCidr(layout.cidr)}`
        : n < layout.pool.start || n > layout.pool.end
          ? `is outside the pool ${ipv4FromNumber(layout.pool.start)}-${ipv4FromNumber(layout.pool.end)}`
          : n === layout.gateway
            ? 'would be the gateway'
            : null;
      if (why !== null) {
        const field =
          params.cidr !== undefined ? 'cidr' : params.gateway !== undefined ? 'gateway' : 'allocated_start';
        throw path.error(field, `${ip}, held by ${describeRef(holder)}, ${why}`, 409);
      }
    }
    if (params.cidr !== undefined) {
      const lmap = await st.get<LogicalNetworkMapObject>(mapKeyOf('logicalnetwork', cur.network.$ref));
      if (lmap) await checkNoOverlap(st, path, lmap, key, layout.cidr);
    }
    const cidrText = formatCidr(layout.cidr);
    st.put(key, {
      ...merged,
      cidr: cidrText,
      allocated_start: ipv4FromNumber(layout.pool.start),
      allocated_end: ipv4FromNumber(layout.pool.end),
      ...(layout.gateway !== undefined ? { gateway: ipv4FromNumber(layout.gateway) } : {}),
      ...(merged.pre_host_config !== undefined
        ? { pre_host_config: preHostConfig(path, merged.pre_host_config, cidrText) }
        : {}),
    });
  }
  return keys;
}

export async function deleteSubnets(st: StagedTx, items: readonly CallItem[]): Promise<void> {
  const keys = items.map(({ path, params }) => path.key('id', () => objectKey('subnet', String(params.id))));
  await st.load([...keys, ...keys.map((k) => mapKeyOf('subnet', k)), setKey('subnet')]);
  const seen = new Set<Key>();
  for (const [i, { path, params }] of items.entries()) {
    const key = keys[i]!;
    const id = String(params.id);
    if (seen.has(key)) throw path.error('id', `subnet ${id} appears twice in this call`);
    seen.add(key);
    const cur = await st.get<SubnetObject>(key);
    if (cur === null) throw path.error('id', `subnet ${id} does not exist`, 404);
    const smk = mapKeyOf('subnet', key);
    const smap = await st.get<SubnetMapObject>(smk);
    const holders = Object.values(smap?.allocated_ips ?? {});
    if (holders.length > 0) throw path.error('id', `subnet ${id} still has ${describeRefs(holders)}`, 409);
    const router = (cur as { router?: Ref }).router;
    if (router !== undefined) {
      throw path.error(
        'id',
        `subnet ${id} is attached to a virtual router (${describeRef(router)}); remove the router interface first`,
        409,
      );
    }
    const lmap = await st.editIfPresent<LogicalNetworkMapObject>(
      mapKeyOf('logicalnetwork', cur.network.$ref),
    );
    if (lmap) removeRef(lmap.subnets, key);
    st.put(key, null);
    st.put(smk, null);
    removeRef(await st.edit<Ref[]>(setKey('subnet'), () => []), key);
  }
}
