/**
 * Reads one logical network out of a watchLogicalNetwork view: the network's nwid, the
 * addresses of its logical ports and the gateways of its subnets. Objects that are not
 * there (yet) or malformed addresses are left out: viperflow validated them when stored.
 */
import { isRef, type JsonObject, type JsonValue, type Key } from '../../objectdb';
import { isIpv4 } from '../../openflow/packet/ipv4-address';
import { isMac, type MacAddress } from '../../openflow/packet/mac-address';
import { mapKey } from '../viperflow';
import type { ArpNetwork, ArpOwner } from './arp-network';

function object(v: JsonValue | null | undefined): JsonObject | undefined {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v)
    ? (v as JsonObject)
    : undefined;
}

function refs(v: JsonValue | undefined): string[] {
  return Array.isArray(v) ? v.filter(isRef).map((r) => r.$ref) : [];
}

/**
 * The network seen in `values` (a watch snapshot), or undefined while its map or object
 * is missing (not created yet, or deleted).
 */
export function arpNetworkFromView(
  values: ReadonlyMap<Key, JsonValue | null>,
  networkId: string,
  gatewayMac: MacAddress,
): ArpNetwork | undefined {
  const get = (key: string) => object(values.get(key as Key));
  const map = get(mapKey('logicalnetwork', networkId));
  const netRef = map?.network;
  const network = isRef(netRef) ? get(netRef.$ref) : undefined;
  const nwid = network?.nwid;
  if (typeof nwid !== 'number') return undefined;
  const owners: ArpOwner[] = [];
  for (const key of refs(map?.ports)) {
    const port = get(key);
    const ip = port?.ip_address;
    const mac = port?.mac_address;
    if (typeof ip === 'string' && isIpv4(ip) && typeof mac === 'string' && isMac(mac))
      owners.push({ ip, mac, kind: 'port' });
  }
  for (const key of refs(map?.subnets)) {
    const gateway = get(key)?.gateway;
    if (typeof gateway === 'string' && isIpv4(gateway))
      owners.push({ ip: gateway, mac: gatewayMac, kind: 'gateway' });
  }
  return { nwid, owners };
}
