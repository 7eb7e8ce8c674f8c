/**
 * Reads one logical network out of a watchLogicalNetwork view: the network's nwid, the
 * addresses of its logical ports and the gateways of its subnets. Objects that are not
 * there (yet) or malformed addresses are left out: viperflow validated them when stored.
 */
import { asObject, isRef, type JsonValue, type Key, refTargets } from '../../objectdb';
import { isIpv4 } from '../../openflow/packet/ipv4-address';
import { isMac, type MacAddress } from '../../openflow/packet/mac-address';
import { mapKey } from '../viperflow';
import type { ArpNetwork, ArpOwner } from './arp-network';

/**
 * The network seen in `values` (a watch snapshot), or undefined while its map or object
 * is missing (not created yet, or deleted).
 */
export function arpNetworkFromView(
  values: ReadonlyMap<Key, JsonValue | null>,
  networkId: string,
  gatewayMac: MacAddress,
): ArpNetwork | undefined {
  const get = (key: string) => asObject(values.get(key as Key));
  const map = get(mapKey('logicalnetwork', networkId));
  const netRef = map?.network;
  const network = isRef(netRef) ? get(netRef.$ref) : undefined;
  const nwid = network?.nwid;
  if (typeof nwid !== 'number') return undefined;
  const owners: ArpOwner[] = [];
  for (const key of refTargets(map?.ports)) {
    const port = get(key);
    const ip = port?.ip_address;
    const mac = port?.mac_address;
    if (typeof ip === 'string' && isIpv4(ip) && typeof mac === 'string' && isMac(mac))
      owners.push({ ip, mac, kind: 'port' });
  }
  for (const key of refTargets(map?.subnets)) {
    const gateway = get(key)?.gateway;
    if (typeof gateway === 'string' && isIpv4(gateway))
      owners.push({ ip: gateway, mac: gatewayMac, kind: 'gateway' });
  }
  return { nwid, owners };
}
