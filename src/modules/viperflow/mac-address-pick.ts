/**
 * MAC addresses for logical ports created without one: random, locally administered
 * (bit 1 of the first octet set) and unicast (bit 0 clear), so they never collide with
 * vendor-assigned addresses; the caller retries while one is already taken in the network.
 */
import { randomBytes } from 'node:crypto';

export function randomLocalMac(): string {
  const b = randomBytes(6);
  b[0] = (b[0]! & 0xfc) | 0x02;
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** A random local MAC not in `taken` (gives up after many tries: the network is absurdly full). */
export function pickMac(taken: (mac: string) => boolean): string | null {
  for (let i = 0; i < 64; i++) {
    const mac = randomLocalMac();
    if (!taken(mac)) return mac;
  }
  return null;
}
