/**
 * A logical port's `allowed_address_pairs` (OpenStack's shape): extra IPv4 sources (an
 * address or a prefix), each with the MAC it may use (the port's own when absent), that port
 * security lets the port send from — what a VM routing for a network behind it needs.
 * Checked strictly here, before anything is written; `l2` reads the stored form.
 */
import {
  type Ipv4Address,
  ipv4FromNumber,
  ipv4ToNumber,
  isIpv4,
  parseMacAddress,
} from '../../openflow/packet';
import { ApiInputError } from '../runtime';
import type { ItemPath } from './item-path';

export const ADDRESS_PAIRS = 'allowed_address_pairs';

/** One stored pair: `ip_address` an address or a prefix in network form, `mac_address` lower case. */
export interface AllowedAddressPair {
  readonly ip_address: string;
  readonly mac_address?: string;
}

const KEYS = new Set(['ip_address', 'mac_address']);

/** A refused pair: which port, which entry (index), and the field path of the call. */
export class AddressPairError extends ApiInputError {
  constructor(
    readonly portId: string,
    /** The entry's index in the list, or undefined when the value is not a list at all. */
    readonly index: number | undefined,
    parameter: string,
    reason: string,
  ) {
    super(`${parameter}: logical port ${portId}: ${reason}`, 400, parameter);
  }
}

/**
 * The pairs as they will be stored, or null when `raw` clears them (null or []). A prefix
 * with host bits set is refused rather than normalised: `10.0.0.5/24` may mean the host or
 * the network, and this list widens what a port may send, so it must say which.
 */
export function parseAddressPairs(path: ItemPath, portId: string, raw: unknown): AllowedAddressPair[] | null {
  if (raw === null) return null;
  if (!Array.isArray(raw)) {
    throw new AddressPairError(
      portId,
      undefined,
      path.field(ADDRESS_PAIRS),
      `must be a list of {"ip_address", "mac_address"?} objects, not ${JSON.stringify(raw)}`,
    );
  }
  const out: AllowedAddressPair[] = [];
  for (const [i, entry] of (raw as readonly unknown[]).entries()) {
    const at = (field?: string) => path.field(`${ADDRESS_PAIRS}.${i}${field ? `.${field}` : ''}`);
    const fail = (reason: string, field?: string): never => {
      throw new AddressPairError(portId, i, at(field), reason);
    };
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      fail(`entry ${i} must be an object like {"ip_address": "10.0.0.0/24"}, not ${JSON.stringify(entry)}`);
    const e = entry as Readonly<Record<string, unknown>>;
    for (const k of Object.keys(e)) {
      if (!KEYS.has(k))
        fail(`entry ${i} has unknown key ${JSON.stringify(k)} (allowed: ip_address, mac_address)`, k);
    }
    const ip = e.ip_address;
    if (typeof ip !== 'string') fail(`entry ${i} needs ip_address (an IPv4 address or prefix)`, 'ip_address');
    const text = ip as string;
    const m = /^(.+)\/(\d{1,2})$/.exec(text);
    const addr = m ? m[1]! : text;
    const len = m ? Number(m[2]) : 32;
    if (!isIpv4(addr) || len > 32)
      fail(
        `entry ${i}: ${JSON.stringify(text)} is not an IPv4 address or prefix like 10.0.0.0/24`,
        'ip_address',
      );
    const network = ipv4FromNumber(
      len === 0 ? 0 : (ipv4ToNumber(addr as Ipv4Address) & (0xffffffff << (32 - len))) >>> 0,
    );
    if (network !== addr)
      fail(`entry ${i}: ${text} has host bits set (the network is ${network}/${len})`, 'ip_address');
    const pair: { ip_address: string; mac_address?: string } = { ip_address: text };
    if (e.mac_address !== undefined && e.mac_address !== null) {
      let mac: string | undefined;
      try {
        mac = typeof e.mac_address === 'string' ? parseMacAddress(e.mac_address) : undefined;
      } catch {
        mac = undefined;
      }
      if (mac === undefined)
        fail(`entry ${i}: ${JSON.stringify(e.mac_address)} is not a MAC address`, 'mac_address');
      // A source MAC with the group bit set is no host's address.
      if (Number.parseInt(mac!.slice(0, 2), 16) & 1)
        fail(`entry ${i}: ${mac} is a multicast MAC, not a port's address`, 'mac_address');
      pair.mac_address = mac!;
    }
    out.push(pair);
  }
  return out.length === 0 ? null : out;
}
