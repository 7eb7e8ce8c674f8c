/**
 * Random matches that Open vSwitch accepts as they are: prerequisites present, values in the
 * ranges OVS keeps (20-bit flow labels, 6-bit DSCP, 8-bit ARP opcodes, ...).
 */
import fc from 'fast-check';
import { ipv6Prefix, normalizeField, type OxmField } from '../../../../src/openflow/oxm';
import { ipv4, ipv6, mac } from '../../../unit/openflow/packet/arbitraries';
import { u64 } from '../../../unit/openflow/wire-arbitraries';

type F = fc.Arbitrary<OxmField[]>;

const opt = (a: fc.Arbitrary<OxmField>): F => fc.option(a, { nil: undefined }).map((x) => (x ? [x] : []));

function field(name: string, value: fc.Arbitrary<unknown>, maskable = false): fc.Arbitrary<OxmField> {
  if (!maskable) return value.map((v) => ({ field: name, value: v }) as OxmField);
  return fc
    .tuple(value, fc.option(value, { nil: undefined }))
    .map(
      ([v, m]) =>
        (m === undefined ? { field: name, value: v } : { field: name, value: v, mask: m }) as OxmField,
    )
    .map((f) => normalizeField(f) ?? ({ field: name, value: f.value } as OxmField));
}

/** OVS prints any IPv6 mask but parses only prefix lengths back. */
function ipv6Field(name: string): fc.Arbitrary<OxmField> {
  return fc
    .tuple(ipv6, fc.option(fc.integer({ min: 0, max: 128 }), { nil: undefined }))
    .map(
      ([v, len]) =>
        (len === undefined
          ? { field: name, value: v }
          : { field: name, ...ipv6Prefix(`${v}/${len}`) }) as OxmField,
    )
    .map((f) => normalizeField(f) ?? ({ field: name, value: f.value } as OxmField));
}

const int = (max: number) => fc.integer({ min: 0, max });
const cat = (...parts: F[]): F => fc.tuple(...parts).map((xs) => xs.flat());

const l4v4: F = fc.oneof(
  cat(
    fc.constant([{ field: 'ip_proto', value: 6 } as OxmField]),
    opt(field('tcp_src', int(0xffff), true)),
    opt(field('tcp_dst', int(0xffff), true)),
  ),
  cat(
    fc.constant([{ field: 'ip_proto', value: 17 } as OxmField]),
    opt(field('udp_src', int(0xffff), true)),
    opt(field('udp_dst', int(0xffff), true)),
  ),
  cat(
    fc.constant([{ field: 'ip_proto', value: 132 } as OxmField]),
    opt(field('sctp_dst', int(0xffff), true)),
  ),
  cat(
    fc.constant([{ field: 'ip_proto', value: 1 } as OxmField]),
    opt(field('icmpv4_type', int(255))),
    opt(field('icmpv4_code', int(255))),
  ),
  fc.constant<OxmField[]>([]),
);

const nd: F = fc.oneof(
  cat(
    fc.constant([
      { field: 'icmpv6_type', value: 135 },
      { field: 'icmpv6_code', value: 0 },
    ] as OxmField[]),
    opt(field('ipv6_nd_target', ipv6)),
    opt(field('ipv6_nd_sll', mac)),
  ),
  cat(
    fc.constant([
      { field: 'icmpv6_type', value: 136 },
      { field: 'icmpv6_code', value: 0 },
    ] as OxmField[]),
    opt(field('ipv6_nd_target', ipv6)),
    opt(field('ipv6_nd_tll', mac)),
  ),
  cat(opt(field('icmpv6_type', fc.integer({ min: 0, max: 130 }))), opt(field('icmpv6_code', int(255)))),
);

const l4v6: F = fc.oneof(
  cat(fc.constant([{ field: 'ip_proto', value: 6 } as OxmField]), opt(field('tcp_dst', int(0xffff), true))),
  cat(fc.constant([{ field: 'ip_proto', value: 17 } as OxmField]), opt(field('udp_src', int(0xffff), true))),
  cat(fc.constant([{ field: 'ip_proto', value: 58 } as OxmField]), nd),
  fc.constant<OxmField[]>([]),
);

const l3: F = fc.oneof(
  cat(
    fc.constant([{ field: 'eth_type', value: 0x0806 } as OxmField]),
    opt(field('arp_op', int(255))),
    opt(field('arp_spa', ipv4, true)),
    opt(field('arp_tpa', ipv4, true)),
    opt(field('arp_sha', mac, true)),
    opt(field('arp_tha', mac, true)),
  ),
  cat(
    fc.constant([{ field: 'eth_type', value: 0x0800 } as OxmField]),
    opt(field('ipv4_src', ipv4, true)),
    opt(field('ipv4_dst', ipv4, true)),
    opt(field('ip_dscp', int(63))),
    opt(field('ip_ecn', int(3))),
    l4v4,
  ),
  cat(
    fc.constant([{ field: 'eth_type', value: 0x86dd } as OxmField]),
    opt(ipv6Field('ipv6_src')),
    opt(ipv6Field('ipv6_dst')),
    opt(field('ipv6_flabel', int(0xfffff), true)),
    l4v6,
  ),
  fc.constant<OxmField[]>([]),
);

const regs: F = fc
  .uniqueArray(int(15), { maxLength: 3 })
  .chain((ns) => fc.tuple(...ns.map((n) => field(`reg${n}`, int(0xffffffff), true))));

const vlan: F = fc.oneof(
  fc.constant<OxmField[]>([]),
  cat(
    fc.constant<OxmField[]>([]),
    field(
      'vlan_vid',
      int(4095).map((v) => v | 0x1000),
    ).map((f) => [f]),
    opt(field('vlan_pcp', int(7))),
  ),
);

/** A whole match, fields in prerequisite order. */
export const ovsMatch: F = cat(
  opt(field('in_port', fc.integer({ min: 1, max: 0xfeff }))),
  opt(field('metadata', u64, true)),
  opt(field('eth_src', mac, true)),
  opt(field('eth_dst', mac, true)),
  vlan,
  regs,
  opt(field('pkt_mark', int(0xffffffff), true)),
  opt(field('ct_mark', int(0xffffffff), true)),
  opt(field('ct_zone', int(0xffff))),
  // OVS prints ct_state as flags, which parse back with the mask of the known flags.
  opt(
    fc
      .tuple(int(0xff), fc.integer({ min: 1, max: 0xff }))
      .map(([v, m]) => ({ field: 'ct_state', value: v & m, mask: m }) as OxmField),
  ),
  opt(field('tun_id', u64, true)),
  opt(field('tun_src', ipv4, true)),
  l3,
);
