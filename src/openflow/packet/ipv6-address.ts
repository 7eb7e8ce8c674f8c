import { PacketError } from './errors';

/** An IPv6 address in RFC 5952 canonical text form (lowercase, longest zero run compressed). */
export type Ipv6Address = string & { readonly __brand: 'Ipv6Address' };

export function readIpv6(buf: Uint8Array, offset: number): Ipv6Address {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((buf[offset + 2 * i]! << 8) | buf[offset + 2 * i + 1]!);
  return formatGroups(groups);
}

function formatGroups(groups: readonly number[]): Ipv6Address {
  // Longest run of two or more zero groups, first one on ties (RFC 5952 section 4.2).
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':') as Ipv6Address;
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}` as Ipv6Address;
}

/** Parses IPv6 text (with "::" compression and an optional dotted IPv4 tail) into canonical form. */
export function parseIpv6Address(text: string): Ipv6Address {
  return formatGroups(ipv6Groups(text));
}

function ipv6Groups(text: string): number[] {
  const fail = (): never => {
    throw new PacketError('ipv6-address', `not an IPv6 address: ${JSON.stringify(text)}`, 0);
  };
  const halves = text.split('::');
  if (halves.length > 2) fail();
  const parseHalf = (s: string): number[] => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    parts.forEach((p, idx) => {
      if (idx === parts.length - 1 && p.includes('.')) {
        const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(p);
        if (!m) fail();
        const o = m!.slice(1, 5).map(Number);
        if (o.some((x) => x > 255)) fail();
        out.push((o[0]! << 8) | o[1]!, (o[2]! << 8) | o[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) fail();
        out.push(Number.parseInt(p, 16));
      }
    });
    return out;
  };
  const head = parseHalf(halves[0]!);
  if (halves.length === 1) {
    if (head.length !== 8) fail();
    return head;
  }
  const tail = parseHalf(halves[1]!);
  if (head.length + tail.length > 7) fail();
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

export function writeIpv6(buf: Uint8Array, offset: number, ip: Ipv6Address): void {
  const groups = ipv6Groups(ip);
  for (let i = 0; i < 8; i++) {
    buf[offset + 2 * i] = groups[i]! >>> 8;
    buf[offset + 2 * i + 1] = groups[i]! & 255;
  }
}
