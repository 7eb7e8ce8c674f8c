/**
 * A logical port's `allowed_address_pairs` as l2 reads them from the stored port object:
 * lenient (viperflow refused bad input already; anything malformed here is skipped, never
 * thrown) and canonical, so an unchanged list compares equal and the port keeps its
 * compiled flows.
 */
import type { JsonValue } from '../../objectdb';
import { asObject } from '../../objectdb';
import { type Ipv4Address, ipv4FromNumber, ipv4ToNumber, isIpv4 } from '../../openflow/packet/ipv4-address';
import { isMac, type MacAddress } from '../../openflow/packet/mac-address';
import type { AddressPair } from './network-view';

function parsePair(v: JsonValue): AddressPair | undefined {
  const o = asObject(v);
  if (o === undefined || typeof o.ip_address !== 'string') return undefined;
  const m = /^([^/]+)(?:\/(\d{1,2}))?$/.exec(o.ip_address);
  if (m === null || !isIpv4(m[1]!)) return undefined;
  const length = m[2] === undefined ? 32 : Number(m[2]);
  if (length > 32) return undefined;
  const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  if ((ipv4ToNumber(m[1]! as Ipv4Address) & mask) >>> 0 !== ipv4ToNumber(m[1]! as Ipv4Address))
    return undefined;
  let mac: MacAddress | undefined;
  if (typeof o.mac_address === 'string') {
    const lower = o.mac_address.toLowerCase();
    if (!isMac(lower)) return undefined;
    mac = lower;
  } else if (o.mac_address !== undefined && o.mac_address !== null) return undefined;
  return Object.freeze({
    prefix: ipv4FromNumber(ipv4ToNumber(m[1]! as Ipv4Address)),
    length,
    ...(mac !== undefined ? { mac } : {}),
  });
}

/** The port's pairs, or undefined when it has none (absent, empty, or none well-formed). */
export function parseAddressPairs(v: JsonValue | undefined): readonly AddressPair[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: AddressPair[] = [];
  for (const e of v as readonly JsonValue[]) {
    const p = parsePair(e);
    if (p !== undefined) out.push(p);
  }
  return out.length === 0 ? undefined : Object.freeze(out);
}

export function samePairs(
  a: readonly AddressPair[] | undefined,
  b: readonly AddressPair[] | undefined,
): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  return a.every((p, i) => p.prefix === b[i]!.prefix && p.length === b[i]!.length && p.mac === b[i]!.mac);
}
