/**
 * What the l2 local view keeps of a logical network's ObjectDB objects, parsed from watch
 * snapshots: the network's number and encapsulation with its ports' MACs and addresses
 * (from watchLogicalNetwork), and for vxlan networks where each port is bound and each
 * host's VTEP (from the l2.location / l2.vtep keys). Malformed values are skipped, never thrown.
 */
import { asObject, isRef, type JsonValue, toKey, type WatchSnapshot } from '../../objectdb';
import { type Ipv4Address, isIpv4 } from '../../openflow/packet/ipv4-address';
import { isMac, type MacAddress } from '../../openflow/packet/mac-address';
import { idOfKey, mapKey, type NetworkType } from '../viperflow';
import { parseAddressPairs, samePairs } from './address-pairs';
import { LOCATION_PREFIX, VTEP_PREFIX } from './l2-keys';
import type { AddressPair, RemoteLogicalPort } from './network-view';

/** One logical port as the network's data keeps it: its MAC, address and allowed address pairs. */
export type PortData = RemoteLogicalPort & {
  readonly ip?: Ipv4Address;
  readonly pairs?: readonly AddressPair[];
};

/** The parts of a network's objects the compiler uses, parsed from its watch snapshot. */
export interface NetworkData {
  readonly nwid: number;
  readonly type: NetworkType;
  readonly vlanid: number | undefined;
  readonly vni: number | undefined;
  readonly physicalNetworkId: string;
  /** Every logical port of the network: id -> its MAC, address and pairs (as remote ports: reused objects). */
  readonly ports: ReadonlyMap<string, PortData>;
}

/** vxlan networks: where the network's ports are bound and the VTEP of each host. */
export interface TunnelData {
  readonly locations: ReadonlyMap<string, string>;
  readonly vteps: ReadonlyMap<string, Ipv4Address>;
}

export { asObject };

export const refKey = (v: JsonValue | undefined): string | undefined =>
  isRef(v) ? String(v.$ref) : undefined;

/** Where the network's ports are bound and the VTEP of each of those hosts. */
export function parseTunnels(s: WatchSnapshot): TunnelData {
  const locations = new Map<string, string>();
  const vteps = new Map<string, Ipv4Address>();
  for (const [key, value] of s.values) {
    const o = asObject(value);
    if (o === undefined || typeof o.systemid !== 'string') continue;
    if (key.startsWith(LOCATION_PREFIX) && typeof o.logicalport === 'string') {
      locations.set(o.logicalport, o.systemid);
    } else if (key.startsWith(VTEP_PREFIX) && typeof o.address === 'string' && isIpv4(o.address)) {
      vteps.set(o.systemid, o.address);
    }
  }
  return { locations, vteps };
}

/**
 * The network's data from its watch snapshot; undefined while the network object is
 * missing. Port objects that did not change are reused from `previous`.
 */
export function parseNetwork(
  networkId: string,
  s: WatchSnapshot,
  previous: NetworkData | undefined,
): NetworkData | undefined {
  const map = asObject(s.values.get(mapKey('logicalnetwork', networkId)));
  const lnKey = refKey(map?.network);
  const ln = lnKey === undefined ? undefined : asObject(s.values.get(toKey(lnKey)));
  const pnKey = refKey(ln?.physicalnetwork);
  const pn = pnKey === undefined ? undefined : asObject(s.values.get(toKey(pnKey)));
  if (map === undefined || ln === undefined || pn === undefined || pnKey === undefined) return undefined;
  const nwid = ln.nwid;
  const type = pn.type;
  if (typeof nwid !== 'number' || (type !== 'vlan' && type !== 'vxlan' && type !== 'native'))
    return undefined;
  const ports = new Map<string, PortData>();
  for (const r of Array.isArray(map.ports) ? map.ports : []) {
    const k = refKey(r);
    const p = k === undefined ? undefined : asObject(s.values.get(toKey(k)));
    if (p === undefined || typeof p.id !== 'string' || typeof p.mac_address !== 'string') continue;
    const mac = p.mac_address.toLowerCase();
    if (!isMac(mac)) continue;
    const ip = typeof p.ip_address === 'string' && isIpv4(p.ip_address) ? p.ip_address : undefined;
    const pairs = parseAddressPairs(p.allowed_address_pairs);
    const old = previous?.ports.get(p.id);
    if (old !== undefined && old.mac === mac && old.ip === ip && samePairs(old.pairs, pairs))
      ports.set(p.id, old);
    else
      ports.set(
        p.id,
        Object.freeze({
          id: p.id,
          mac: mac as MacAddress,
          ...(ip !== undefined ? { ip } : {}),
          ...(pairs !== undefined ? { pairs } : {}),
        }),
      );
  }
  return {
    nwid,
    type,
    vlanid: typeof ln.vlanid === 'number' ? ln.vlanid : undefined,
    vni: typeof ln.vni === 'number' ? ln.vni : undefined,
    physicalNetworkId: idOfKey('physicalnetwork', pnKey) ?? pnKey,
    ports,
  };
}
