import { PacketError } from './errors';

/** A MAC address in canonical form: six lowercase hex pairs joined by colons. */
export type MacAddress = string & { readonly __brand: 'MacAddress' };

const MAC_RE =
  /^([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})$/;

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff' as MacAddress;
export const ZERO_MAC = '00:00:00:00:00:00' as MacAddress;

/** Parses "aa:bb:cc:dd:ee:ff" (or with dashes, any case) into the canonical form. */
export function parseMacAddress(text: string): MacAddress {
  const m = MAC_RE.exec(text);
  if (!m) throw new PacketError('mac', `not a MAC address: ${JSON.stringify(text)}`, 0);
  return m.slice(1, 7).join(':').toLowerCase() as MacAddress;
}

export function isMac(text: string): text is MacAddress {
  return MAC_RE.test(text) && text === text.toLowerCase() && !text.includes('-');
}

/** Reads six bytes at `offset`; the caller has checked the length. */
export function readMac(buf: Uint8Array, offset: number): MacAddress {
  return `${HEX[buf[offset]!]}:${HEX[buf[offset + 1]!]}:${HEX[buf[offset + 2]!]}:${HEX[buf[offset + 3]!]}:${HEX[buf[offset + 4]!]}:${HEX[buf[offset + 5]!]}` as MacAddress;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Writes a canonical MAC at `offset` (reads char codes: no substrings, no allocation). */
export function writeMac(buf: Uint8Array, offset: number, mac: MacAddress): void {
  if (mac.length !== 17) throw new PacketError('mac', `not a MAC address: ${JSON.stringify(mac)}`, 0);
  for (let i = 0; i < 6; i++) {
    const hi = hexValue(mac.charCodeAt(i * 3));
    const lo = hexValue(mac.charCodeAt(i * 3 + 1));
    if (hi < 0 || lo < 0) throw new PacketError('mac', `not a MAC address: ${JSON.stringify(mac)}`, 0);
    buf[offset + i] = (hi << 4) | lo;
  }
}

export function macToBytes(mac: MacAddress): Buffer {
  const b = Buffer.alloc(6);
  writeMac(b, 0, mac);
  return b;
}

export function isMulticastMac(mac: MacAddress): boolean {
  return (Number.parseInt(mac.slice(0, 2), 16) & 1) === 1;
}
