/**
 * `extra_dhcp_options` as viperflow stores them (`[code, value]` pairs on a logical network,
 * subnet or logical port) turned into DHCP options. The value's JSON type and the option's
 * code decide the encoding: RFC 2132 says which codes carry addresses, 8/16/32-bit numbers
 * or flags; anything else is text (a string) or a list of addresses.
 */
import type { JsonValue } from '../../objectdb';
import {
  type ClasslessRoute,
  type DhcpOption,
  encodeClasslessRoutes,
  type Ipv4Address,
  ipv4ToNumber,
  isIpv4,
  prefixToNetmask,
  writeIpv4,
} from '../../openflow/packet';

/** Codes whose data is one or more IPv4 addresses (RFC 2132). */
const ADDRESS_CODES: ReadonlySet<number> = new Set([
  1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16, 28, 32, 41, 42, 44, 45, 48, 49, 50, 54, 65, 68, 69, 70, 71, 72, 73, 74,
  75, 76,
]);
const U8_CODES: ReadonlySet<number> = new Set([19, 20, 23, 27, 29, 30, 31, 34, 36, 37, 39, 46, 52, 53]);
const U16_CODES: ReadonlySet<number> = new Set([13, 22, 26, 57]);
const U32_CODES: ReadonlySet<number> = new Set([2, 24, 35, 38, 51, 58, 59]);
const ROUTE_CODES: ReadonlySet<number> = new Set([121, 249]);

export class ExtraOptionError extends Error {
  override readonly name = 'ExtraOptionError';
  constructor(
    readonly code: number,
    readonly value: JsonValue,
    detail: string,
  ) {
    super(`extra_dhcp_options: option ${code} = ${JSON.stringify(value)}: ${detail}`);
  }
}

function uint(code: number, value: JsonValue, bytes: 1 | 2 | 4): Buffer {
  const n = typeof value === 'boolean' ? Number(value) : value;
  const max = bytes === 4 ? 0xffffffff : (1 << (8 * bytes)) - 1;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max)
    throw new ExtraOptionError(code, value, `needs a whole number 0..${max}`);
  const out = Buffer.alloc(bytes);
  out.writeUIntBE(n, 0, bytes);
  return out;
}

function addresses(code: number, value: JsonValue): Buffer {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((a) => typeof a === 'string' && isIpv4(a)))
    throw new ExtraOptionError(code, value, 'needs an IPv4 address or a non-empty list of them');
  const out = Buffer.alloc(4 * list.length);
  for (let i = 0; i < list.length; i++) writeIpv4(out, 4 * i, list[i] as Ipv4Address);
  return out;
}

/** `[["10.1.0.0/16", "10.0.0.1"], ...]` (a bare address is a /32) as classless routes. */
export function parseRoutes(code: number, value: JsonValue): ClasslessRoute[] {
  if (!Array.isArray(value)) throw new ExtraOptionError(code, value, 'needs a list of [cidr, router] pairs');
  return value.map((pair: JsonValue) => {
    const route = Array.isArray(pair) && pair.length === 2 ? routeOf(pair[0], pair[1]) : undefined;
    if (route === undefined)
      throw new ExtraOptionError(code, value, `${JSON.stringify(pair)} is not a [cidr, router] pair`);
    return route;
  });
}

/** One host route; undefined when the texts are not a CIDR (or address) and an address. */
export function routeOf(
  prefix: JsonValue | undefined,
  router: JsonValue | undefined,
): ClasslessRoute | undefined {
  if (typeof prefix !== 'string' || typeof router !== 'string' || !isIpv4(router)) return undefined;
  const [addr, len] = prefix.split('/') as [string, string | undefined];
  const prefixLength = len === undefined ? 32 : /^\d{1,2}$/.test(len) ? Number(len) : -1;
  if (!isIpv4(addr) || prefixLength < 0 || prefixLength > 32) return undefined;
  // Host bits are cleared: RFC 3442 sends only the significant octets.
  const network = (ipv4ToNumber(addr) & ipv4ToNumber(prefixToNetmask(prefixLength))) >>> 0;
  const destination =
    `${network >>> 24}.${(network >>> 16) & 255}.${(network >>> 8) & 255}.${network & 255}` as Ipv4Address;
  return { destination, prefixLength, router };
}

/** The option for one `[code, value]` pair, or an ExtraOptionError naming what is wrong. */
export function extraDhcpOption(code: number, value: JsonValue): DhcpOption {
  if (!Number.isInteger(code) || code < 1 || code > 254)
    throw new ExtraOptionError(code, value, 'the code must be 1..254');
  let data: Buffer;
  if (ADDRESS_CODES.has(code)) data = addresses(code, value);
  else if (U8_CODES.has(code)) data = uint(code, value, 1);
  else if (U16_CODES.has(code)) data = uint(code, value, 2);
  else if (U32_CODES.has(code)) data = uint(code, value, 4);
  else if (ROUTE_CODES.has(code)) data = encodeClasslessRoutes(parseRoutes(code, value));
  else if (typeof value === 'string') data = Buffer.from(value, 'utf8');
  else if (typeof value === 'boolean') data = Buffer.of(value ? 1 : 0);
  else if (typeof value === 'number') data = uint(code, value, 4);
  else if (Array.isArray(value)) data = addresses(code, value);
  else throw new ExtraOptionError(code, value, 'needs a string, number, boolean or list of addresses');
  if (data.length === 0 || data.length > 255)
    throw new ExtraOptionError(code, value, `encodes to ${data.length} bytes (1..255 allowed)`);
  return { kind: 'raw', code, data };
}
