import { PacketError } from './errors';

/** An IPv4 address in dotted-quad form without leading zeros, e.g. "10.0.0.1". */
export type Ipv4Address = string & { readonly __brand: 'Ipv4Address' };

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4_RE = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

export const ZERO_IPV4 = '0.0.0.0' as Ipv4Address;
export const BROADCAST_IPV4 = '255.255.255.255' as Ipv4Address;

export function parseIpv4Address(text: string): Ipv4Address {
  if (!IPV4_RE.test(text))
    throw new PacketError('ipv4-address', `not an IPv4 address: ${JSON.stringify(text)}`, 0);
  return text as Ipv4Address;
}

export function isIpv4(text: string): text is Ipv4Address {
  return IPV4_RE.test(text);
}

/** The address as an unsigned 32-bit number (network order value). */
export function ipv4ToNumber(ip: Ipv4Address): number {
  let n = 0;
  let part = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46) {
      n = n * 256 + part;
      part = 0;
    } else {
      part = part * 10 + (c - 48);
    }
  }
  return n * 256 + part;
}

export function ipv4FromNumber(n: number): Ipv4Address {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}` as Ipv4Address;
}

export function readIpv4(buf: Uint8Array, offset: number): Ipv4Address {
  return `${buf[offset]}.${buf[offset + 1]}.${buf[offset + 2]}.${buf[offset + 3]}` as Ipv4Address;
}

export function writeIpv4(buf: Uint8Array, offset: number, ip: Ipv4Address): void {
  const n = ipv4ToNumber(ip);
  buf[offset] = n >>> 24;
  buf[offset + 1] = (n >>> 16) & 255;
  buf[offset + 2] = (n >>> 8) & 255;
  buf[offset + 3] = n & 255;
}

/** Netmask for a prefix length 0..32, e.g. 24 -> 255.255.255.0. */
export function prefixToNetmask(prefix: number): Ipv4Address {
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) {
    throw new PacketError('ipv4-address', `prefix length out of range: ${prefix}`, 0);
  }
  return ipv4FromNumber(prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);
}
