/**
 * IPv4 subnets of logical networks: `cidr` (strict: no host bits set) and
 * `cidr_nonstrict` (routes), the allocation pool, and picking a free address for a port.
 */
import { type Ipv4Address, ipv4FromNumber, ipv4ToNumber, isIpv4 } from '../../openflow/packet';
import { ApiInputError } from '../runtime';

export interface Cidr {
  readonly network: number;
  readonly prefix: number;
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function parseCidr(text: string, parameter: string, strict = true): Cidr {
  const m = /^(.+)\/(\d{1,2})$/.exec(text);
  const prefix = m ? Number(m[2]) : Number.NaN;
  if (!m || !isIpv4(m[1]!) || prefix > 32) {
    throw new ApiInputError(
      `${parameter}: ${JSON.stringify(text)} is not an IPv4 CIDR like 10.0.0.0/24`,
      400,
      parameter,
    );
  }
  const addr = ipv4ToNumber(m[1]! as Ipv4Address);
  const network = (addr & mask(prefix)) >>> 0;
  if (strict && network !== addr) {
    throw new ApiInputError(
      `${parameter}: ${text} has host bits set (the network is ${ipv4FromNumber(network)}/${prefix})`,
      400,
      parameter,
    );
  }
  return { network, prefix };
}

export function formatCidr(c: Cidr): string {
  return `${ipv4FromNumber(c.network)}/${c.prefix}`;
}

export function parseAddress(text: unknown, parameter: string): number {
  if (typeof text !== 'string' || !isIpv4(text)) {
    throw new ApiInputError(`${parameter}: ${JSON.stringify(text)} is not an IPv4 address`, 400, parameter);
  }
  return ipv4ToNumber(text);
}

export function contains(c: Cidr, addr: number): boolean {
  return (addr & mask(c.prefix)) >>> 0 === c.network;
}

export interface Pool {
  readonly start: number;
  readonly end: number;
}

/**
 * The addresses ports may get: `allocated_start`..`allocated_end` when given, otherwise
 * the subnet without its network and broadcast addresses (a /31 or /32 keeps all).
 */
export function allocationPool(c: Cidr, start?: string, end?: string): Pool {
  const size = 2 ** (32 - c.prefix);
  const first = c.prefix >= 31 ? c.network : c.network + 1;
  const last = c.prefix >= 31 ? c.network + size - 1 : c.network + size - 2;
  const s = start === undefined ? first : parseAddress(start, 'allocated_start');
  const e = end === undefined ? last : parseAddress(end, 'allocated_end');
  for (const [v, name] of [
    [s, 'allocated_start'],
    [e, 'allocated_end'],
  ] as const) {
    if (!contains(c, v))
      throw new ApiInputError(`${name} ${ipv4FromNumber(v)} is outside ${formatCidr(c)}`, 400, name);
  }
  if (s > e) {
    throw new ApiInputError(
      `allocated_start ${ipv4FromNumber(s)} is after allocated_end ${ipv4FromNumber(e)}`,
      400,
      'allocated_start',
    );
  }
  return { start: s, end: e };
}

/** The lowest address of the pool that is not used (the gateway counts as used). */
export function allocateAddress(pool: Pool, used: ReadonlySet<number>): Ipv4Address {
  for (let a = pool.start; a <= pool.end; a++) if (!used.has(a)) return ipv4FromNumber(a);
  throw new ApiInputError(
    `no free address left in ${ipv4FromNumber(pool.start)}-${ipv4FromNumber(pool.end)}`,
    409,
  );
}
