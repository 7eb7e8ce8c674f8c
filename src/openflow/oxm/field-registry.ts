/**
 * The OXM/NXM match fields this controller knows: one declaration per field (class, field
 * number, payload width and value type, maskability), with lookups by name and by header.
 * Numbers are those of the OpenFlow 1.3 spec (class 0x8000) and of Open vSwitch's
 * meta-flow/nx-match (NXM_OF 0x0000, NXM_NX 0x0001, packet registers 0x8001).
 *
 * Names follow OVS. A field OVS also reaches through an older NXM header (eth_dst as
 * NXM_OF_ETH_DST, ipv6_src as NXM_NX_IPV6_SRC, ...) has a separate entry named after that
 * header (`nxm_of_eth_dst`), whose `canonical` is the basic field's name: both mean the same
 * thing for matchKey and prerequisites, and each keeps its own bytes on the wire.
 */
import { IPV4, IPV6, MAC, U8, U16, U24, U32, U64, U128, type ValueKind } from './value-kind';

export const OXM_CLASS = {
  NXM_OF: 0x0000,
  NXM_NX: 0x0001,
  OPENFLOW_BASIC: 0x8000,
  PACKET_REGS: 0x8001,
  EXPERIMENTER: 0xffff,
} as const;

export interface FieldDecl<T> {
  readonly oxmClass: number;
  readonly field: number;
  readonly kind: ValueKind<T>;
  readonly maskable: boolean;
  /** The header's name in OVS/the spec (OXM_OF_ETH_DST, NXM_NX_REG0), as ovs-ofctl prints it. */
  readonly ovsName: string;
  /** The basic field this one is another header of (matchKey, prerequisites). */
  readonly canonical?: string;
  /** For class 0xffff: the experimenter id that follows the header (and counts in its length). */
  readonly experimenter?: number;
  /** Bits the field really has when fewer than its payload (vlan_vid 12 without its present bit, ip_dscp 6, ...). */
  readonly bits?: number;
}

function f<T>(
  oxmClass: number,
  field: number,
  kind: ValueKind<T>,
  maskable: boolean,
  ovsName: string,
  canonical?: string,
): FieldDecl<T> {
  return canonical === undefined
    ? { oxmClass, field, kind, maskable, ovsName }
    : { oxmClass, field, kind, maskable, ovsName, canonical };
}

/** A field of an experimenter class (0xffff): the 4-byte experimenter id follows the header. */
function x<T>(
  experimenter: number,
  field: number,
  kind: ValueKind<T>,
  maskable: boolean,
  ovsName: string,
  canonical?: string,
): FieldDecl<T> {
  return { ...f(OXM_CLASS.EXPERIMENTER, field, kind, maskable, ovsName, canonical), experimenter };
}

/** A field narrower than its payload: subfield references must stay within `bits`. */
function narrow<T>(bits: number, decl: FieldDecl<T>): FieldDecl<T> {
  return { ...decl, bits };
}

/** The Open Networking Foundation's experimenter id, used by OVS for a few 1.3 fields. */
export const ONF_EXPERIMENTER_ID = 0x4f4e4600;

const B = OXM_CLASS.OPENFLOW_BASIC;
const OF = OXM_CLASS.NXM_OF;
const NX = OXM_CLASS.NXM_NX;
const PR = OXM_CLASS.PACKET_REGS;

const nxReg = (n: number) => f(NX, n, U32, true, `NXM_NX_REG${n}`);
const xreg = (n: number) => f(PR, n, U64, true, `OXM_OF_PKT_REG${n}`);

/** Every known field, by name. */
export const FIELDS = {
  // OpenFlow 1.3 basic fields (class 0x8000), in field-number order.
  in_port: f(B, 0, U32, false, 'OXM_OF_IN_PORT'),
  in_phy_port: f(B, 1, U32, false, 'OXM_OF_IN_PHY_PORT'),
  metadata: f(B, 2, U64, true, 'OXM_OF_METADATA'),
  eth_dst: f(B, 3, MAC, true, 'OXM_OF_ETH_DST'),
  eth_src: f(B, 4, MAC, true, 'OXM_OF_ETH_SRC'),
  eth_type: f(B, 5, U16, false, 'OXM_OF_ETH_TYPE'),
  vlan_vid: narrow(12, f(B, 6, U16, true, 'OXM_OF_VLAN_VID')),
  vlan_pcp: narrow(3, f(B, 7, U8, false, 'OXM_OF_VLAN_PCP')),
  ip_dscp: narrow(6, f(B, 8, U8, false, 'OXM_OF_IP_DSCP')),
  ip_ecn: narrow(2, f(B, 9, U8, false, 'OXM_OF_IP_ECN')),
  ip_proto: f(B, 10, U8, false, 'OXM_OF_IP_PROTO'),
  ipv4_src: f(B, 11, IPV4, true, 'OXM_OF_IPV4_SRC'),
  ipv4_dst: f(B, 12, IPV4, true, 'OXM_OF_IPV4_DST'),
  tcp_src: f(B, 13, U16, true, 'OXM_OF_TCP_SRC'),
  tcp_dst: f(B, 14, U16, true, 'OXM_OF_TCP_DST'),
  udp_src: f(B, 15, U16, true, 'OXM_OF_UDP_SRC'),
  udp_dst: f(B, 16, U16, true, 'OXM_OF_UDP_DST'),
  sctp_src: f(B, 17, U16, true, 'OXM_OF_SCTP_SRC'),
  sctp_dst: f(B, 18, U16, true, 'OXM_OF_SCTP_DST'),
  icmpv4_type: f(B, 19, U8, false, 'OXM_OF_ICMPV4_TYPE'),
  icmpv4_code: f(B, 20, U8, false, 'OXM_OF_ICMPV4_CODE'),
  arp_op: f(B, 21, U16, false, 'OXM_OF_ARP_OP'),
  arp_spa: f(B, 22, IPV4, true, 'OXM_OF_ARP_SPA'),
  arp_tpa: f(B, 23, IPV4, true, 'OXM_OF_ARP_TPA'),
  arp_sha: f(B, 24, MAC, true, 'OXM_OF_ARP_SHA'),
  arp_tha: f(B, 25, MAC, true, 'OXM_OF_ARP_THA'),
  ipv6_src: f(B, 26, IPV6, true, 'OXM_OF_IPV6_SRC'),
  ipv6_dst: f(B, 27, IPV6, true, 'OXM_OF_IPV6_DST'),
  ipv6_flabel: narrow(20, f(B, 28, U32, true, 'OXM_OF_IPV6_FLABEL')),
  icmpv6_type: f(B, 29, U8, false, 'OXM_OF_ICMPV6_TYPE'),
  icmpv6_code: f(B, 30, U8, false, 'OXM_OF_ICMPV6_CODE'),
  ipv6_nd_target: f(B, 31, IPV6, true, 'OXM_OF_IPV6_ND_TARGET'),
  ipv6_nd_sll: f(B, 32, MAC, true, 'OXM_OF_IPV6_ND_SLL'),
  ipv6_nd_tll: f(B, 33, MAC, true, 'OXM_OF_IPV6_ND_TLL'),
  mpls_label: narrow(20, f(B, 34, U32, false, 'OXM_OF_MPLS_LABEL')),
  mpls_tc: narrow(3, f(B, 35, U8, false, 'OXM_OF_MPLS_TC')),
  mpls_bos: narrow(1, f(B, 36, U8, false, 'OXM_OF_MPLS_BOS')),
  pbb_isid: f(B, 37, U24, true, 'OXM_OF_PBB_ISID'),
  tunnel_id: f(B, 38, U64, true, 'OXM_OF_TUNNEL_ID'),
  ipv6_exthdr: f(B, 39, U16, true, 'OXM_OF_IPV6_EXTHDR'),

  // NXM_OF (class 0x0000): OpenFlow 1.0 fields as Nicira match headers. in_port is 16-bit
  // and vlan_tci/ip_tos hold other bits than their OXM cousins, so they have no canonical.
  nxm_of_in_port: f(OF, 0, U16, false, 'NXM_OF_IN_PORT'),
  nxm_of_eth_dst: f(OF, 1, MAC, true, 'NXM_OF_ETH_DST', 'eth_dst'),
  nxm_of_eth_src: f(OF, 2, MAC, true, 'NXM_OF_ETH_SRC', 'eth_src'),
  nxm_of_eth_type: f(OF, 3, U16, false, 'NXM_OF_ETH_TYPE', 'eth_type'),
  vlan_tci: f(OF, 4, U16, true, 'NXM_OF_VLAN_TCI'),
  nw_tos: f(OF, 5, U8, false, 'NXM_OF_IP_TOS'),
  nxm_of_ip_proto: f(OF, 6, U8, false, 'NXM_OF_IP_PROTO', 'ip_proto'),
  nxm_of_ip_src: f(OF, 7, IPV4, true, 'NXM_OF_IP_SRC', 'ipv4_src'),
  nxm_of_ip_dst: f(OF, 8, IPV4, true, 'NXM_OF_IP_DST', 'ipv4_dst'),
  nxm_of_tcp_src: f(OF, 9, U16, true, 'NXM_OF_TCP_SRC', 'tcp_src'),
  nxm_of_tcp_dst: f(OF, 10, U16, true, 'NXM_OF_TCP_DST', 'tcp_dst'),
  nxm_of_udp_src: f(OF, 11, U16, true, 'NXM_OF_UDP_SRC', 'udp_src'),
  nxm_of_udp_dst: f(OF, 12, U16, true, 'NXM_OF_UDP_DST', 'udp_dst'),
  nxm_of_icmp_type: f(OF, 13, U8, false, 'NXM_OF_ICMP_TYPE', 'icmpv4_type'),
  nxm_of_icmp_code: f(OF, 14, U8, false, 'NXM_OF_ICMP_CODE', 'icmpv4_code'),
  nxm_of_arp_op: f(OF, 15, U16, false, 'NXM_OF_ARP_OP', 'arp_op'),
  nxm_of_arp_spa: f(OF, 16, IPV4, true, 'NXM_OF_ARP_SPA', 'arp_spa'),
  nxm_of_arp_tpa: f(OF, 17, IPV4, true, 'NXM_OF_ARP_TPA', 'arp_tpa'),

  // NXM_NX (class 0x0001): Nicira fields.
  reg0: nxReg(0),
  reg1: nxReg(1),
  reg2: nxReg(2),
  reg3: nxReg(3),
  reg4: nxReg(4),
  reg5: nxReg(5),
  reg6: nxReg(6),
  reg7: nxReg(7),
  reg8: nxReg(8),
  reg9: nxReg(9),
  reg10: nxReg(10),
  reg11: nxReg(11),
  reg12: nxReg(12),
  reg13: nxReg(13),
  reg14: nxReg(14),
  reg15: nxReg(15),
  tun_id: f(NX, 16, U64, true, 'NXM_NX_TUN_ID', 'tunnel_id'),
  nxm_nx_arp_sha: f(NX, 17, MAC, true, 'NXM_NX_ARP_SHA', 'arp_sha'),
  nxm_nx_arp_tha: f(NX, 18, MAC, true, 'NXM_NX_ARP_THA', 'arp_tha'),
  nxm_nx_ipv6_src: f(NX, 19, IPV6, true, 'NXM_NX_IPV6_SRC', 'ipv6_src'),
  nxm_nx_ipv6_dst: f(NX, 20, IPV6, true, 'NXM_NX_IPV6_DST', 'ipv6_dst'),
  nxm_nx_icmpv6_type: f(NX, 21, U8, false, 'NXM_NX_ICMPV6_TYPE', 'icmpv6_type'),
  nxm_nx_icmpv6_code: f(NX, 22, U8, false, 'NXM_NX_ICMPV6_CODE', 'icmpv6_code'),
  nxm_nx_nd_target: f(NX, 23, IPV6, true, 'NXM_NX_ND_TARGET', 'ipv6_nd_target'),
  nxm_nx_nd_sll: f(NX, 24, MAC, true, 'NXM_NX_ND_SLL', 'ipv6_nd_sll'),
  nxm_nx_nd_tll: f(NX, 25, MAC, true, 'NXM_NX_ND_TLL', 'ipv6_nd_tll'),
  ip_frag: narrow(2, f(NX, 26, U8, true, 'NXM_NX_IP_FRAG')),
  nxm_nx_ipv6_label: narrow(20, f(NX, 27, U32, true, 'NXM_NX_IPV6_LABEL', 'ipv6_flabel')),
  nxm_nx_ip_ecn: narrow(2, f(NX, 28, U8, false, 'NXM_NX_IP_ECN', 'ip_ecn')),
  nw_ttl: f(NX, 29, U8, false, 'NXM_NX_IP_TTL'),
  tun_src: f(NX, 31, IPV4, true, 'NXM_NX_TUN_IPV4_SRC'),
  tun_dst: f(NX, 32, IPV4, true, 'NXM_NX_TUN_IPV4_DST'),
  pkt_mark: f(NX, 33, U32, true, 'NXM_NX_PKT_MARK'),
  tcp_flags: narrow(12, f(NX, 34, U16, true, 'NXM_NX_TCP_FLAGS')),
  dp_hash: f(NX, 35, U32, true, 'NXM_NX_DP_HASH'),
  recirc_id: f(NX, 36, U32, false, 'NXM_NX_RECIRC_ID'),
  conj_id: f(NX, 37, U32, false, 'NXM_NX_CONJ_ID'),
  tun_gbp_id: f(NX, 38, U16, true, 'NXM_NX_TUN_GBP_ID'),
  tun_gbp_flags: f(NX, 39, U8, true, 'NXM_NX_TUN_GBP_FLAGS'),
  tun_flags: narrow(1, f(NX, 104, U16, true, 'NXM_NX_TUN_FLAGS')),
  ct_state: f(NX, 105, U32, true, 'NXM_NX_CT_STATE'),
  ct_zone: f(NX, 106, U16, false, 'NXM_NX_CT_ZONE'),
  ct_mark: f(NX, 107, U32, true, 'NXM_NX_CT_MARK'),
  ct_label: f(NX, 108, U128, true, 'NXM_NX_CT_LABEL'),
  tun_ipv6_src: f(NX, 109, IPV6, true, 'NXM_NX_TUN_IPV6_SRC'),
  tun_ipv6_dst: f(NX, 110, IPV6, true, 'NXM_NX_TUN_IPV6_DST'),
  ct_nw_proto: f(NX, 119, U8, false, 'NXM_NX_CT_NW_PROTO'),
  ct_nw_src: f(NX, 120, IPV4, true, 'NXM_NX_CT_NW_SRC'),
  ct_nw_dst: f(NX, 121, IPV4, true, 'NXM_NX_CT_NW_DST'),
  ct_ipv6_src: f(NX, 122, IPV6, true, 'NXM_NX_CT_IPV6_SRC'),
  ct_ipv6_dst: f(NX, 123, IPV6, true, 'NXM_NX_CT_IPV6_DST'),
  ct_tp_src: f(NX, 124, U16, true, 'NXM_NX_CT_TP_SRC'),
  ct_tp_dst: f(NX, 125, U16, true, 'NXM_NX_CT_TP_DST'),

  // ONF experimenter fields: how OVS sends tcp_flags and actset_output in OpenFlow 1.3.
  onf_tcp_flags: narrow(12, x(ONF_EXPERIMENTER_ID, 42, U16, true, 'ONFOXM_ET_TCP_FLAGS', 'tcp_flags')),
  actset_output: x(ONF_EXPERIMENTER_ID, 43, U32, false, 'ONFOXM_ET_ACTSET_OUTPUT'),

  // Packet registers (class 0x8001): the 64-bit xregs, each two 32-bit regs.
  xreg0: xreg(0),
  xreg1: xreg(1),
  xreg2: xreg(2),
  xreg3: xreg(3),
  xreg4: xreg(4),
  xreg5: xreg(5),
  xreg6: xreg(6),
  xreg7: xreg(7),
} as const;

export type FieldName = keyof typeof FIELDS;

/** The value type of a field: number, bigint, or a branded address string. */
export type FieldValue<N extends FieldName> = (typeof FIELDS)[N] extends FieldDecl<infer T> ? T : never;

/** A registry entry with its name and headers spelled out. */
export interface FieldDef extends FieldDecl<unknown> {
  readonly name: FieldName;
  /** The name matchKey and prerequisites use: `canonical`, else `name`. */
  readonly key: string;
  /** Usable bits: `bits` if declared, else the payload's. */
  readonly width: number;
  /**
   * The 32-bit NXM/OXM header without mask: class<<16 | field<<9 | payload length (for an
   * experimenter field the payload counts its 4-byte experimenter id).
   */
  readonly header: number;
  /** The header with the has-mask bit and a doubled length. */
  readonly maskedHeader: number;
}

/** class<<7 | field: the part of a header that names the field. */
function fieldId(oxmClass: number, field: number): number {
  return oxmClass * 128 + field;
}

const byName = new Map<string, FieldDef>();
const byId = new Map<number, FieldDef>();
/** The four classes in use, 128 field slots each: a header lookup is one array index. */
const table: (FieldDef | undefined)[] = new Array(4 * 128).fill(undefined);

function slotOf(oxmClass: number): number {
  return oxmClass === 0x8000
    ? 0
    : oxmClass === 0x0001
      ? 128
      : oxmClass === 0x0000
        ? 256
        : oxmClass === 0x8001
          ? 384
          : -1;
}
/** Experimenter fields by experimenter id * 128 + field number. */
const byExperimenter = new Map<number, FieldDef>();

for (const [name, d] of Object.entries(FIELDS) as [FieldName, FieldDecl<unknown>][]) {
  const extra = d.experimenter === undefined ? 0 : 4;
  const header = (d.oxmClass * 65536 + d.field * 512 + extra + d.kind.size) >>> 0;
  const def: FieldDef = {
    ...d,
    name,
    key: d.canonical ?? name,
    width: d.bits ?? d.kind.size * 8,
    header,
    maskedHeader: (header + 256 + d.kind.size) >>> 0,
  };
  byName.set(name, def);
  if (d.experimenter !== undefined) {
    const id = d.experimenter * 128 + d.field;
    if (byExperimenter.has(id)) throw new Error(`OXM field ${name}: duplicate experimenter/field`);
    byExperimenter.set(id, def);
    continue;
  }
  if (byId.has(fieldId(d.oxmClass, d.field))) throw new Error(`OXM field ${name}: duplicate class/field`);
  byId.set(fieldId(d.oxmClass, d.field), def);
  table[slotOf(d.oxmClass) + d.field] = def;
}

/** An experimenter field (class 0xffff) by its experimenter id and field number. */
export function fieldByExperimenter(experimenter: number, field: number): FieldDef | undefined {
  return byExperimenter.get(experimenter * 128 + field);
}

/** All known fields, in declaration order. */
export const ALL_FIELDS: readonly FieldDef[] = [...byName.values()];

export function fieldByName(name: string): FieldDef | undefined {
  return byName.get(name);
}

/**
 * The field a 32-bit header names (its mask bit and length are ignored). Experimenter
 * fields need their experimenter id too: see fieldByExperimenter.
 */
export function fieldByHeader(header: number): FieldDef | undefined {
  const slot = slotOf(header >>> 16);
  return slot < 0 ? undefined : table[slot + ((header >>> 9) & 0x7f)];
}

export function fieldByClass(oxmClass: number, field: number): FieldDef | undefined {
  return byId.get(fieldId(oxmClass, field));
}

/** Parts of a 32-bit OXM/NXM header. */
export function splitHeader(header: number): {
  readonly oxmClass: number;
  readonly field: number;
  readonly hasMask: boolean;
  readonly length: number;
} {
  return {
    oxmClass: header >>> 16,
    field: (header >>> 9) & 0x7f,
    hasMask: ((header >>> 8) & 1) === 1,
    length: header & 0xff,
  };
}
