/**
 * The prerequisites of OpenFlow 1.3 (section 7.2.3.6): a field is only meaningful when the
 * fields it depends on pin the packet's protocol, e.g. ipv4_src needs eth_type=0x0800 and
 * tcp_dst needs ip_proto=6. Switches reject matches that break them (OFPBMC_BAD_PREREQ).
 */
import { fieldByName } from './field-registry';
import { MatchError } from './match-error';
import type { OxmField } from './oxm-field';

const IP = [0x0800, 0x86dd] as const;
const IPV4 = [0x0800] as const;
const IPV6 = [0x86dd] as const;
const ARP = [0x0806] as const;
const MPLS = [0x8847, 0x8848] as const;

/** What a field (by canonical name) needs: another field equal to one of `values` (any value if empty). */
export interface Prerequisite {
  readonly field: string;
  readonly values: readonly number[];
}

const need = (field: string, values: readonly number[]): Prerequisite => ({ field, values });

export const PREREQUISITES: Readonly<Record<string, Prerequisite>> = {
  in_phy_port: need('in_port', []),
  ip_dscp: need('eth_type', IP),
  ip_ecn: need('eth_type', IP),
  ip_proto: need('eth_type', IP),
  nw_tos: need('eth_type', IP),
  nw_ttl: need('eth_type', IP),
  ip_frag: need('eth_type', IP),
  ipv4_src: need('eth_type', IPV4),
  ipv4_dst: need('eth_type', IPV4),
  tcp_src: need('ip_proto', [6]),
  tcp_dst: need('ip_proto', [6]),
  tcp_flags: need('ip_proto', [6]),
  udp_src: need('ip_proto', [17]),
  udp_dst: need('ip_proto', [17]),
  sctp_src: need('ip_proto', [132]),
  sctp_dst: need('ip_proto', [132]),
  icmpv4_type: need('ip_proto', [1]),
  icmpv4_code: need('ip_proto', [1]),
  arp_op: need('eth_type', ARP),
  arp_spa: need('eth_type', ARP),
  arp_tpa: need('eth_type', ARP),
  arp_sha: need('eth_type', ARP),
  arp_tha: need('eth_type', ARP),
  ipv6_src: need('eth_type', IPV6),
  ipv6_dst: need('eth_type', IPV6),
  ipv6_flabel: need('eth_type', IPV6),
  ipv6_exthdr: need('eth_type', IPV6),
  icmpv6_type: need('ip_proto', [58]),
  icmpv6_code: need('ip_proto', [58]),
  ipv6_nd_target: need('icmpv6_type', [135, 136]),
  ipv6_nd_sll: need('icmpv6_type', [135]),
  ipv6_nd_tll: need('icmpv6_type', [136]),
  mpls_label: need('eth_type', MPLS),
  mpls_tc: need('eth_type', MPLS),
  mpls_bos: need('eth_type', MPLS),
  pbb_isid: need('eth_type', [0x88e7]),
};

const OFPVID_PRESENT = 0x1000;

/** The canonical name of a known field, else undefined. */
function keyOf(f: OxmField): string | undefined {
  return f.field === 'raw' ? undefined : fieldByName(f.field)?.key;
}

/** True when a mask is absent or all ones (the value is pinned). */
function exact(f: OxmField): boolean {
  if (f.mask === undefined) return true;
  if (typeof f.mask === 'number') return f.mask === 0xffffffff || f.mask === 2 ** (8 * sizeOf(f)) - 1;
  return false;
}

function sizeOf(f: OxmField): number {
  return f.field === 'raw' ? f.value.length : fieldByName(f.field)!.kind.size;
}

/**
 * Throws a MatchError naming the first field whose prerequisite is missing, or that appears
 * twice. Fields may come in any order (OVS accepts that; builders put prerequisites first).
 */
export function checkPrerequisites(fields: readonly OxmField[]): void {
  const present = new Map<string, OxmField>();
  for (const f of fields) {
    const k = keyOf(f);
    if (k === undefined) continue;
    if (present.has(k)) throw new MatchError(f.field, 'appears more than once');
    present.set(k, f);
  }
  for (const f of fields) {
    const k = keyOf(f);
    if (k === undefined) continue;
    if (k === 'vlan_pcp') {
      const vid = present.get('vlan_vid');
      const v = vid?.value as number | undefined;
      const m = (vid?.mask as number | undefined) ?? 0xffff;
      if (v === undefined || (v & m & OFPVID_PRESENT) === 0 || (m & OFPVID_PRESENT) === 0) {
        throw new MatchError(f.field, 'needs vlan_vid with the present bit (0x1000) set');
      }
      continue;
    }
    const pre = PREREQUISITES[k];
    if (pre === undefined) continue;
    const dep = present.get(pre.field);
    const ok =
      dep !== undefined &&
      (pre.values.length === 0 || (exact(dep) && pre.values.includes(dep.value as number)));
    if (!ok) {
      const want = pre.values.map((v) =>
        pre.field === 'eth_type' ? `0x${v.toString(16).padStart(4, '0')}` : String(v),
      );
      throw new MatchError(
        f.field,
        want.length === 0 ? `needs ${pre.field}` : `needs ${pre.field}=${want.join(' or ')}`,
      );
    }
  }
}
