/**
 * ofp_match (OpenFlow 1.0) in two shapes: the wire fields with their wildcard bits (what the
 * codec reads and writes, so any bytes round-trip) and a spec with only the fields that are
 * matched, which is what flow compilers write.
 */
import { type Ipv4Address, ipv4FromNumber, ipv4ToNumber, parseIpv4Address } from '../packet/ipv4-address';
import type { MacAddress } from '../packet/mac-address';
import { Wildcard } from './constants';
import { OpenFlow10Error } from './errors';

export interface Ofp10Match {
  readonly wildcards: number;
  readonly inPort: number;
  readonly dlSrc: MacAddress;
  readonly dlDst: MacAddress;
  readonly dlVlan: number;
  readonly dlVlanPcp: number;
  readonly dlType: number;
  readonly nwTos: number;
  readonly nwProto: number;
  readonly nwSrc: Ipv4Address;
  readonly nwDst: Ipv4Address;
  readonly tpSrc: number;
  readonly tpDst: number;
}

/** An IPv4 prefix; prefixLength 32 is an exact address. */
export interface Ipv4Prefix {
  readonly address: Ipv4Address;
  readonly prefixLength: number;
}

export interface Ofp10MatchSpec {
  readonly inPort?: number;
  readonly dlSrc?: MacAddress;
  readonly dlDst?: MacAddress;
  /** 0xffff matches packets without a VLAN tag. */
  readonly dlVlan?: number;
  readonly dlVlanPcp?: number;
  readonly dlType?: number;
  readonly nwTos?: number;
  readonly nwProto?: number;
  readonly nwSrc?: Ipv4Prefix;
  readonly nwDst?: Ipv4Prefix;
  readonly tpSrc?: number;
  readonly tpDst?: number;
}

const ZERO_MAC = '00:00:00:00:00:00' as MacAddress;
const ZERO_IP = '0.0.0.0' as Ipv4Address;

const FLAG_FIELDS = [
  ['inPort', Wildcard.IN_PORT],
  ['dlVlan', Wildcard.DL_VLAN],
  ['dlSrc', Wildcard.DL_SRC],
  ['dlDst', Wildcard.DL_DST],
  ['dlType', Wildcard.DL_TYPE],
  ['nwProto', Wildcard.NW_PROTO],
  ['tpSrc', Wildcard.TP_SRC],
  ['tpDst', Wildcard.TP_DST],
  ['dlVlanPcp', Wildcard.DL_VLAN_PCP],
  ['nwTos', Wildcard.NW_TOS],
] as const;

function maskOf(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}

function prefixBits(p: Ipv4Prefix | undefined, field: string): { wild: number; address: Ipv4Address } {
  if (!p) return { wild: 32, address: ZERO_IP };
  if (!Number.isInteger(p.prefixLength) || p.prefixLength < 0 || p.prefixLength > 32) {
    throw new OpenFlow10Error('ofp_match', `${field} prefix length out of range: ${p.prefixLength}`, 0);
  }
  const masked = (ipv4ToNumber(parseIpv4Address(p.address)) & maskOf(p.prefixLength)) >>> 0;
  return { wild: 32 - p.prefixLength, address: p.prefixLength === 0 ? ZERO_IP : ipv4FromNumber(masked) };
}

/** The wire form of a spec: unmatched fields are wildcarded and zero, prefixes masked. */
export function ofp10Match(spec: Ofp10MatchSpec): Ofp10Match {
  let wildcards = 0;
  for (const [field, bit] of FLAG_FIELDS) if (spec[field] === undefined) wildcards |= bit;
  const src = prefixBits(spec.nwSrc, 'nwSrc');
  const dst = prefixBits(spec.nwDst, 'nwDst');
  wildcards |= (src.wild << Wildcard.NW_SRC_SHIFT) | (dst.wild << Wildcard.NW_DST_SHIFT);
  return {
    wildcards,
    inPort: spec.inPort ?? 0,
    dlSrc: spec.dlSrc ?? ZERO_MAC,
    dlDst: spec.dlDst ?? ZERO_MAC,
    dlVlan: spec.dlVlan ?? 0,
    dlVlanPcp: spec.dlVlanPcp ?? 0,
    dlType: spec.dlType ?? 0,
    nwTos: spec.nwTos ?? 0,
    nwProto: spec.nwProto ?? 0,
    nwSrc: src.address,
    nwDst: dst.address,
    tpSrc: spec.tpSrc ?? 0,
    tpDst: spec.tpDst ?? 0,
  };
}

/** The fields a wire match really matches on (a wildcard count of 32 or more means any address). */
export function ofp10MatchSpec(m: Ofp10Match): Ofp10MatchSpec {
  const out: { -readonly [K in keyof Ofp10MatchSpec]: Ofp10MatchSpec[K] } = {};
  for (const [field, bit] of FLAG_FIELDS) {
    if ((m.wildcards & bit) === 0) (out as Record<string, unknown>)[field] = m[field];
  }
  const prefix = (address: Ipv4Address, shift: number): Ipv4Prefix | undefined => {
    const wild = (m.wildcards >>> shift) & 0x3f;
    if (wild >= 32) return undefined;
    const prefixLength = 32 - wild;
    return { address: ipv4FromNumber((ipv4ToNumber(address) & maskOf(prefixLength)) >>> 0), prefixLength };
  };
  const nwSrc = prefix(m.nwSrc, Wildcard.NW_SRC_SHIFT);
  const nwDst = prefix(m.nwDst, Wildcard.NW_DST_SHIFT);
  if (nwSrc) out.nwSrc = nwSrc;
  if (nwDst) out.nwDst = nwDst;
  return out;
}

/** Parses "10.0.0.0/8" or "10.0.0.1" into a prefix. */
export function parseIpv4Prefix(text: string): Ipv4Prefix {
  const [address, length, extra] = text.split('/');
  if (extra !== undefined || address === undefined)
    throw new OpenFlow10Error('ofp_match', `not an IPv4 prefix: ${text}`, 0);
  const prefixLength = length === undefined ? 32 : Number(length);
  if (!/^\d{1,2}$/.test(length ?? '32') || prefixLength > 32)
    throw new OpenFlow10Error('ofp_match', `bad prefix length in ${text}`, 0);
  return { address: parseIpv4Address(address), prefixLength };
}
