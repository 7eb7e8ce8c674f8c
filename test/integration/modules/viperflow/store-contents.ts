/**
 * Reads viperflow's part of the store for tests, and checks the model's invariants on it:
 * no reference points at nothing, sets and maps agree with the objects, and no VLAN id, VNI,
 * IP address or MAC is held twice.
 */
import { isRef, type JsonValue, type ObjectDb, refsIn } from '../../../../src/objectdb';
import { mapKey, mapKeyOfForTest, setKey } from './keys-for-test';

export type Contents = ReadonlyMap<string, JsonValue | null>;

const KINDS = ['physicalnetwork', 'physicalport', 'logicalnetwork', 'subnet', 'logicalport'] as const;

/**
 * Everything reachable from the sets (and each object's map), plus `extra` keys (a test's id
 * universe, so that stray keys show too), read in one consistent transaction.
 */
export async function storeContents(
  db: ObjectDb,
  extra: readonly string[] = [],
): Promise<Map<string, JsonValue | null>> {
  const { result } = await db.walk(async (tx) => {
    const out = new Map<string, JsonValue | null>();
    let frontier: string[] = [...KINDS.map((k) => setKey(k)), ...extra];
    while (frontier.length > 0) {
      const keys = [...new Set(frontier.filter((k) => !out.has(k)))];
      const values = await tx.getMany(keys);
      frontier = [];
      keys.forEach((k, i) => {
        const v = values[i] ?? null;
        out.set(k, v);
        if (v === null) return;
        frontier.push(...refsIn(v));
        const m = mapKeyOfForTest(k);
        if (m !== null) frontier.push(m);
      });
    }
    return out;
  });
  // Keys holding nothing are not part of the contents (the universe includes unused ids).
  return new Map([...result].filter(([, v]) => v !== null));
}

type Obj = Record<string, JsonValue>;

/** Returns the broken invariants (empty when all hold). */
export function brokenInvariants(c: Contents): string[] {
  const bad: string[] = [];
  const get = (k: string) => (c.get(k) ?? null) as Obj | null;
  const refKey = (v: JsonValue | undefined) => (isRef(v) ? v.$ref : null);
  for (const [k, v] of c) {
    if (v === null) continue;
    for (const r of refsIn(v)) if (!c.has(r)) bad.push(`${k} points at missing ${r}`);
  }
  const ofKind = (kind: string) => [...c.keys()].filter((k) => k.startsWith(`viperflow.${kind}.`)).sort();
  for (const kind of KINDS) {
    const listed = ((c.get(setKey(kind)) ?? []) as JsonValue[]).map((r) => refKey(r) ?? '?').sort();
    const present = ofKind(kind);
    if (JSON.stringify(listed) !== JSON.stringify(present)) {
      bad.push(`set of ${kind} lists ${listed.join(',')} but present are ${present.join(',')}`);
    }
    if (new Set(listed).size !== listed.length) bad.push(`set of ${kind} lists a key twice`);
  }
  for (const kind of ['physicalnetwork', 'logicalnetwork', 'subnet'] as const) {
    for (const k of ofKind(kind)) {
      const id = (get(k)?.id ?? '') as string;
      if (get(mapKey(kind, id)) === null) bad.push(`${k} has no map`);
    }
    for (const k of [...c.keys()].filter((x) => x.startsWith(`viperflow.${kind}map.`))) {
      const target = (get(k)?.network ?? get(k)?.subnet) as JsonValue | undefined;
      if (refKey(target) === null || !c.has(refKey(target)!)) bad.push(`${k} is a map of nothing`);
    }
  }
  // Logical networks: each recorded in its physical network's map, with its own id.
  const allocations = new Map<string, string>();
  for (const k of ofKind('logicalnetwork')) {
    const n = get(k)!;
    const phyKey = refKey(n.physicalnetwork)!;
    const phy = get(phyKey);
    const pmap = get(mapKey('physicalnetwork', String(phy?.id)));
    if (!pmap) continue;
    if (!(pmap.logicalnetworks as JsonValue[]).some((r) => refKey(r) === k))
      bad.push(`${k} missing from ${phyKey}'s map`);
    const attr = phy?.type === 'vlan' ? 'vlanid' : phy?.type === 'vxlan' ? 'vni' : null;
    if (attr === null) continue;
    const id = n[attr];
    if (typeof id !== 'number') {
      bad.push(`${k} has no ${attr}`);
      continue;
    }
    const ranges = (phy?.[attr === 'vlanid' ? 'vlanrange' : 'vnirange'] ?? []) as [number, number][];
    if (!ranges.some(([a, b]) => id >= a && id <= b))
      bad.push(`${k} ${attr} ${id} is outside ${JSON.stringify(ranges)}`);
    const slot = `${phyKey}#${id}`;
    if (allocations.has(slot)) bad.push(`${attr} ${id} held by both ${allocations.get(slot)} and ${k}`);
    allocations.set(slot, k);
    if (refKey((pmap.network_allocation as Obj)[String(id)]) !== k)
      bad.push(`${phyKey} allocation ${id} is not ${k}`);
  }
  for (const k of [...c.keys()].filter((x) => x.startsWith('viperflow.physicalnetworkmap.'))) {
    const m = get(k)!;
    for (const [id, r] of Object.entries(m.network_allocation as Obj)) {
      const n = get(refKey(r) ?? '');
      if (!n || (n.vlanid ?? n.vni) !== Number(id))
        bad.push(`${k} allocation ${id} points at a network without it`);
    }
    if ((m.logicalnetworks as JsonValue[]).length > 0) {
      const phy = get(refKey(m.network) ?? '');
      if (phy?.type === 'native' && (m.logicalnetworks as JsonValue[]).length > 1)
        bad.push(`${k}: native with two networks`);
    }
  }
  // Ports: in their network's map with their MAC; addresses recorded in the subnet map once.
  const ips = new Map<string, string>();
  const macs = new Map<string, string>();
  for (const k of ofKind('logicalport')) {
    const p = get(k)!;
    const netKey = refKey(p.network)!;
    const lmap = get(mapKey('logicalnetwork', String(get(netKey)?.id)));
    if (lmap && !(lmap.ports as JsonValue[]).some((r) => refKey(r) === k))
      bad.push(`${k} missing from ${netKey}'s map`);
    const mslot = `${netKey}#${String(p.mac_address)}`;
    if (macs.has(mslot)) bad.push(`MAC ${String(p.mac_address)} held by ${macs.get(mslot)} and ${k}`);
    macs.set(mslot, k);
    if (lmap && refKey((lmap.mac_addresses as Obj)[String(p.mac_address)]) !== k)
      bad.push(`${k} MAC not in map`);
    const subKey = refKey(p.subnet);
    if (subKey === null) continue;
    const sub = get(subKey);
    if (refKey(sub?.network) !== netKey) bad.push(`${k} subnet is in another network`);
    const slot = `${subKey}#${String(p.ip_address)}`;
    if (ips.has(slot)) bad.push(`IP ${String(p.ip_address)} held by ${ips.get(slot)} and ${k}`);
    ips.set(slot, k);
    const smap = get(mapKey('subnet', String(sub?.id)));
    if (smap && refKey((smap.allocated_ips as Obj)[String(p.ip_address)]) !== k)
      bad.push(`${k} IP not in subnet map`);
    if (String(p.ip_address) === String(sub?.gateway)) bad.push(`${k} holds the gateway address`);
  }
  for (const k of [...c.keys()].filter((x) => x.startsWith('viperflow.subnetmap.'))) {
    for (const [ip, r] of Object.entries(get(k)!.allocated_ips as Obj)) {
      if (get(refKey(r) ?? '')?.ip_address !== ip) bad.push(`${k} ${ip} points at a port without it`);
    }
  }
  for (const k of [...c.keys()].filter((x) => x.startsWith('viperflow.logicalnetworkmap.'))) {
    for (const [mac, r] of Object.entries(get(k)!.mac_addresses as Obj)) {
      if (get(refKey(r) ?? '')?.mac_address !== mac) bad.push(`${k} ${mac} points at a port without it`);
    }
  }
  for (const k of ofKind('physicalport')) {
    const phyKey = refKey(get(k)!.physicalnetwork)!;
    const pmap = get(mapKey('physicalnetwork', String(get(phyKey)?.id)));
    if (pmap && !(pmap.ports as JsonValue[]).some((r) => refKey(r) === k))
      bad.push(`${k} missing from ${phyKey}'s map`);
  }
  return bad;
}
