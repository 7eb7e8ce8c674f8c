/**
 * Short ways for flow compilers to write a match: `buildMatch({ in_port: 3, tcp_dst: 80 })`
 * fills in eth_type and ip_proto, keeps prerequisites first and checks the result.
 */
import type { Ipv4Address } from '../packet/ipv4-address';
import { isIpv4, prefixToNetmask } from '../packet/ipv4-address';
import { type Ipv6Address, parseIpv6Address } from '../packet/ipv6-address';
import { type FieldName, type FieldValue, fieldByName } from './field-registry';
import type { Match } from './match';
import { MatchError } from './match-error';
import { normalizeFields } from './normalize';
import type { KnownOxmField, OxmField } from './oxm-field';
import { checkPrerequisites, PREREQUISITES } from './prerequisites';

export const ETH_TYPE = {
  IPV4: 0x0800,
  ARP: 0x0806,
  VLAN: 0x8100,
  IPV6: 0x86dd,
  MPLS: 0x8847,
  MPLS_MCAST: 0x8848,
  PBB: 0x88e7,
} as const;

/** OFPVID_PRESENT: vlan_vid has this bit set when the packet has a VLAN tag. */
export const OFPVID_PRESENT = 0x1000;

/** One field, typed by its name. */
export function oxm<N extends FieldName>(
  field: N,
  value: FieldValue<N>,
  mask?: FieldValue<N>,
): KnownOxmField {
  return (mask === undefined ? { field, value } : { field, value, mask }) as KnownOxmField;
}

export interface Masked<T> {
  readonly value: T;
  readonly mask: T;
}

/** A match written as an object: each key a field, each value a value or `{ value, mask }`. */
export type MatchSpec = {
  readonly [N in FieldName]?: FieldValue<N> | Masked<FieldValue<N>>;
};

/** "10.0.0.0/24" (or a bare address) as a value and netmask. */
export function ipv4Prefix(text: string): Masked<Ipv4Address> {
  const [addr, len] = text.split('/') as [string, string | undefined];
  if (!isIpv4(addr)) throw new MatchError('ipv4', `not an IPv4 prefix: ${JSON.stringify(text)}`);
  const n = len === undefined ? 32 : Number(len);
  if (!Number.isInteger(n) || n < 0 || n > 32)
    throw new MatchError('ipv4', `bad prefix length in ${JSON.stringify(text)}`);
  return { value: addr, mask: prefixToNetmask(n) };
}

/** "2001:db8::/32" as a value and netmask. */
export function ipv6Prefix(text: string): Masked<Ipv6Address> {
  const [addr, len] = text.split('/') as [string, string | undefined];
  const n = len === undefined ? 128 : Number(len);
  if (!Number.isInteger(n) || n < 0 || n > 128)
    throw new MatchError('ipv6', `bad prefix length in ${JSON.stringify(text)}`);
  const mask = n === 0 ? 0n : ((1n << BigInt(n)) - 1n) << BigInt(128 - n);
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((mask >> BigInt(16 * i)) & 0xffffn).toString(16));
  return { value: parseIpv6Address(addr), mask: parseIpv6Address(groups.join(':')) };
}

function isMasked(v: unknown): v is Masked<unknown> {
  return v !== null && typeof v === 'object' && 'value' in v && 'mask' in v;
}

const V6_HINTS = new Set([
  'ipv6_src',
  'ipv6_dst',
  'ipv6_flabel',
  'ipv6_exthdr',
  'icmpv6_type',
  'icmpv6_code',
]);

/**
 * A match from a spec. Missing prerequisites that have one obvious value are added first
 * (tcp_dst → ip_proto=6 → eth_type=0x0800, or 0x86dd when an IPv6 field is present); then
 * checkPrerequisites runs, so a contradiction is a MatchError naming the field. Masked
 * values are normalized (bits outside the mask cleared) as switches require.
 */
export function buildMatch(spec: MatchSpec): Match {
  const given: OxmField[] = [];
  for (const [name, v] of Object.entries(spec)) {
    if (v === undefined) continue;
    if (fieldByName(name) === undefined) throw new MatchError(name, 'unknown field');
    given.push(
      (isMasked(v) ? { field: name, value: v.value, mask: v.mask } : { field: name, value: v }) as OxmField,
    );
  }
  const keys = new Set(given.map((f) => (f.field === 'raw' ? '' : fieldByName(f.field)!.key)));
  const v6 = [...keys].some((k) => V6_HINTS.has(k));
  const added: OxmField[] = [];
  const add = (key: string): void => {
    const pre = PREREQUISITES[key];
    if (pre === undefined || keys.has(pre.field) || pre.values.length === 0) return;
    let value: number | undefined = pre.values.length === 1 ? pre.values[0] : undefined;
    if (pre.field === 'eth_type' && pre.values.length === 2 && pre.values.includes(ETH_TYPE.IPV4))
      value = v6 ? ETH_TYPE.IPV6 : ETH_TYPE.IPV4;
    if (value === undefined) return;
    keys.add(pre.field);
    add(pre.field); // its own prerequisite goes before it
    added.push({ field: pre.field, value } as OxmField);
  };
  for (const k of [...keys]) add(k);
  const fields = normalizeFields([...added, ...given]);
  checkPrerequisites(fields);
  return { fields };
}
