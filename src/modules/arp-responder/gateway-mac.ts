/**
 * The MAC a subnet's gateway address answers ARP with. One cluster-wide value (config
 * `arpresponder.gatewaymac`), the same on every host and every network, as a distributed
 * router needs: every host routes for every gateway locally, so the gateway MAC must not
 * depend on the host. Locally administered unicast; "VL" as in FlowSync's cookies.
 */
import { isMulticastMac, type MacAddress, parseMacAddress } from '../../openflow/packet/mac-address';
import { ConfigError } from '../runtime';

export const DEFAULT_GATEWAY_MAC = '02:56:4c:00:00:01' as MacAddress;

const KEY = 'module.arpresponder.gatewaymac';

/** The configured gateway MAC in canonical form; a multicast or all-zero MAC is refused. */
export function gatewayMacFromConfig(text: string): MacAddress {
  let mac: MacAddress;
  try {
    mac = parseMacAddress(text);
  } catch {
    throw new ConfigError(KEY, `${JSON.stringify(text)} is not a MAC address`);
  }
  if (isMulticastMac(mac))
    throw new ConfigError(KEY, `${mac} is a multicast MAC; a gateway needs a unicast one`);
  if (mac === '00:00:00:00:00:00') throw new ConfigError(KEY, 'the all-zero MAC cannot answer ARP');
  return mac;
}
