/**
 * How an OXM field's payload reads and writes: the handful of value representations the
 * field registry is made of (numbers up to 32 bits, bigint for 64/128 bits, addresses as the
 * branded strings of packet/).
 */
import { type Ipv4Address, readIpv4 } from '../packet/ipv4-address';
import { type Ipv6Address, parseIpv6Address, readIpv6, writeIpv6 } from '../packet/ipv6-address';
import { type MacAddress, readMac, writeMac } from '../packet/mac-address';

export interface ValueKind<T> {
  readonly id: 'uint' | 'u64' | 'u128' | 'mac' | 'ipv4' | 'ipv6';
  /** Payload bytes of the value (a mask takes as many again). */
  readonly size: number;
  /** What a value must be, for encode errors. */
  readonly expect: string;
  /** Reads the value at `p`; the caller has checked the bounds. */
  read(b: Buffer, p: number): T;
  /** Writes `v` at `p` (room ensured); false when `v` is not a valid value of this kind. */
  write(b: Buffer, p: number, v: unknown): boolean;
}

function uint(size: 1 | 2 | 3 | 4): ValueKind<number> {
  const max = 2 ** (8 * size) - 1;
  const ok = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= max && v % 1 === 0;
  const base = { id: 'uint' as const, size, expect: `an integer 0..${max}` };
  switch (size) {
    case 1:
      return {
        ...base,
        read: (b, p) => b[p]!,
        write(b, p, v) {
          if (!ok(v)) return false;
          b[p] = v;
          return true;
        },
      };
    case 2:
      return {
        ...base,
        read: (b, p) => (b[p]! << 8) | b[p + 1]!,
        write(b, p, v) {
          if (!ok(v)) return false;
          b[p] = v >>> 8;
          b[p + 1] = v & 255;
          return true;
        },
      };
    case 3:
      return {
        ...base,
        read: (b, p) => (b[p]! << 16) | (b[p + 1]! << 8) | b[p + 2]!,
        write(b, p, v) {
          if (!ok(v)) return false;
          b[p] = v >>> 16;
          b[p + 1] = (v >>> 8) & 255;
          b[p + 2] = v & 255;
          return true;
        },
      };
    case 4:
      return {
        ...base,
        read: (b, p) => ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0,
        write(b, p, v) {
          if (!ok(v)) return false;
          b[p] = v >>> 24;
          b[p + 1] = (v >>> 16) & 255;
          b[p + 2] = (v >>> 8) & 255;
          b[p + 3] = v & 255;
          return true;
        },
      };
  }
}

export const U8 = uint(1);
export const U16 = uint(2);
export const U24 = uint(3);
export const U32 = uint(4);

/** 2^n for n = 0..128, so range checks allocate nothing. */
const LIMITS: readonly bigint[] = Array.from({ length: 129 }, (_, n) => 1n << BigInt(n));

/** Whether 0 <= x < 2^bits (no allocation for bits up to 128). */
export function fitsBits(x: bigint, bits: number): boolean {
  return x >= 0n && x < (LIMITS[bits] ?? 1n << BigInt(bits));
}

/** A bigint from a bigint, safe integer, or decimal/0x string (the JSON form); else undefined. */
export function toBigInt(v: unknown, bits: number): bigint | undefined {
  let x: bigint;
  if (typeof v === 'bigint') x = v;
  else if (typeof v === 'number' && Number.isSafeInteger(v)) x = BigInt(v);
  else if (typeof v === 'string' && /^(0x[0-9a-fA-F]+|\d+)$/.test(v)) x = BigInt(v);
  else return undefined;
  const limit = LIMITS[bits] ?? 1n << BigInt(bits);
  return x >= 0n && x < limit ? x : undefined;
}

/**
 * Writes dotted-quad text at `p` in one pass (no regex, no substrings); false unless it is
 * exactly four decimal octets 0..255 without leading zeros, the form Ipv4Address holds.
 */
function writeDottedQuad(b: Buffer, p: number, s: string): boolean {
  const n = s.length;
  if (n < 7 || n > 15) return false;
  let octet = 0;
  let digits = 0;
  let k = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || k > 3) return false;
      b[p + k++] = octet;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return false;
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return false;
    } else {
      return false;
    }
  }
  return k === 4;
}

export const U64: ValueKind<bigint> = {
  id: 'u64',
  size: 8,
  expect: 'an integer 0..2^64-1 (bigint or decimal string)',
  read: (b, p) => b.readBigUInt64BE(p),
  write(b, p, v) {
    const x = toBigInt(v, 64);
    if (x === undefined) return false;
    b.writeBigUInt64BE(x, p);
    return true;
  },
};

export const U128: ValueKind<bigint> = {
  id: 'u128',
  size: 16,
  expect: 'an integer 0..2^128-1 (bigint or decimal string)',
  read: (b, p) => (b.readBigUInt64BE(p) << 64n) | b.readBigUInt64BE(p + 8),
  write(b, p, v) {
    const x = toBigInt(v, 128);
    if (x === undefined) return false;
    b.writeBigUInt64BE(x >> 64n, p);
    b.writeBigUInt64BE(x & 0xffffffffffffffffn, p + 8);
    return true;
  },
};

export const MAC: ValueKind<MacAddress> = {
  id: 'mac',
  size: 6,
  expect: 'a MAC address "aa:bb:cc:dd:ee:ff"',
  read: readMac as (b: Buffer, p: number) => MacAddress,
  write(b, p, v) {
    if (typeof v !== 'string') return false;
    try {
      writeMac(b, p, v as MacAddress);
      return true;
    } catch {
      return false;
    }
  },
};

export const IPV4: ValueKind<Ipv4Address> = {
  id: 'ipv4',
  size: 4,
  expect: 'an IPv4 address',
  read: readIpv4 as (b: Buffer, p: number) => Ipv4Address,
  write: (b, p, v) => typeof v === 'string' && writeDottedQuad(b, p, v),
};

export const IPV6: ValueKind<Ipv6Address> = {
  id: 'ipv6',
  size: 16,
  expect: 'an IPv6 address',
  read: readIpv6 as (b: Buffer, p: number) => Ipv6Address,
  write(b, p, v) {
    if (typeof v !== 'string') return false;
    try {
      writeIpv6(b, p, parseIpv6Address(v));
      return true;
    } catch {
      return false;
    }
  },
};
