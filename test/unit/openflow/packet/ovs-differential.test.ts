/**
 * Differential test: frames we build are wrapped in an OpenFlow 1.0 packet-in and decoded by
 * `ovs-ofctl ofp-print`, whose flow extractor is an independent parser. Every field it
 * reports must be the field we put in.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import {
  buildArp,
  buildEthernet,
  buildIcmp,
  buildIpv4Packet,
  buildIpv6Packet,
  buildTcp,
  buildUdp,
  EtherType,
  IpProtocol,
} from '../../../../src/openflow/packet';
import { bytes, ipv4, ipv6, mac, u8, u16, u32 } from './arbitraries';

function ovsFlowOf(frame: Buffer): Map<string, string> {
  const pi = Buffer.alloc(18);
  pi[0] = 1;
  pi[1] = 10; // OFPT_PACKET_IN
  pi.writeUInt16BE(18 + frame.length, 2);
  pi.writeUInt32BE(0xffffffff, 8);
  pi.writeUInt16BE(frame.length, 12);
  pi.writeUInt16BE(1, 14);
  const r = spawnSync('ovs-ofctl', ['ofp-print', Buffer.concat([pi, frame]).toString('hex'), '3'], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(r.stderr);
  const line = r.stdout.split('\n')[1]!;
  const fields = new Map<string, string>();
  for (const token of line.split(/[ ,]/)) {
    const eq = token.indexOf('=');
    const colon = token.indexOf(':');
    if (eq > 0) fields.set(token.slice(0, eq), token.slice(eq + 1));
    else if (colon > 0 && token.endsWith('csum', colon))
      fields.set(token.slice(0, colon), token.slice(colon + 1));
    else if (token) fields.set(token, '');
  }
  return fields;
}

const l2 = fc.record({
  dst: mac.filter((m) => m !== 'ff:ff:ff:ff:ff:ff'),
  src: mac,
  vlan: fc.option(
    fc.record({
      pcp: fc.integer({ min: 0, max: 7 }),
      dei: fc.constant(false),
      vid: fc.integer({ min: 1, max: 4094 }),
    }),
    { nil: undefined },
  ),
});

const ipHeader = fc.record({
  dscp: fc.integer({ min: 0, max: 63 }),
  ecn: fc.integer({ min: 0, max: 3 }),
  identification: u16,
  ttl: fc.integer({ min: 1, max: 255 }),
  src: ipv4,
  dst: ipv4,
});

function withEthernet(
  e: { dst: never; src: never; vlan: unknown },
  ethertype: number,
  payload: Buffer,
): Buffer {
  return buildEthernet({ ...(e as object as Parameters<typeof buildEthernet>[0]), ethertype, payload });
}

function checkL2(
  f: Map<string, string>,
  e: { dst: string; src: string; vlan?: { pcp: number; vid: number } | undefined },
) {
  expect(f.get('dl_src')).toBe(e.src);
  expect(f.get('dl_dst')).toBe(e.dst);
  if (e.vlan) {
    expect(f.get('dl_vlan')).toBe(String(e.vlan.vid));
    expect(f.get('dl_vlan_pcp')).toBe(String(e.vlan.pcp));
  } else {
    expect(f.has('dl_vlan')).toBe(false);
  }
}

const RUNS = 25;

describe('ovs-ofctl decodes our frames to the fields we built', () => {
  it('ARP', () => {
    for (const [e, a] of fc.sample(
      fc.tuple(
        l2,
        fc.record({
          op: fc.integer({ min: 1, max: 2 }),
          senderMac: mac,
          senderIp: ipv4,
          targetMac: mac,
          targetIp: ipv4,
        }),
      ),
      RUNS,
    )) {
      const f = ovsFlowOf(withEthernet(e as never, EtherType.ARP, buildArp(a)));
      checkL2(f, e);
      expect(f.has('arp')).toBe(true);
      expect([
        f.get('arp_spa'),
        f.get('arp_tpa'),
        f.get('arp_op'),
        f.get('arp_sha'),
        f.get('arp_tha'),
      ]).toEqual([a.senderIp, a.targetIp, String(a.op), a.senderMac, a.targetMac]);
    }
  });

  it('IPv4 + UDP with its checksum', () => {
    for (const [e, h, sp, dp, payload] of fc.sample(fc.tuple(l2, ipHeader, u16, u16, bytes(40)), RUNS)) {
      const udp = buildUdp({ srcPort: sp, dstPort: dp, payload }, { family: 'ipv4', src: h.src, dst: h.dst });
      const ip = buildIpv4Packet({
        ...h,
        dontFragment: false,
        moreFragments: false,
        fragmentOffset: 0,
        protocol: IpProtocol.UDP,
        payload: udp,
      });
      const f = ovsFlowOf(withEthernet(e as never, EtherType.IPV4, ip));
      checkL2(f, e);
      expect([f.get('nw_src'), f.get('nw_dst'), f.get('nw_tos'), f.get('nw_ecn'), f.get('nw_ttl')]).toEqual([
        h.src,
        h.dst,
        String(h.dscp << 2),
        String(h.ecn),
        String(h.ttl),
      ]);
      expect([f.get('tp_src'), f.get('tp_dst'), f.get('udp_csum')]).toEqual([
        String(sp),
        String(dp),
        udp.readUInt16BE(6).toString(16),
      ]);
    }
  });

  it('IPv4 + TCP and ICMP', () => {
    for (const [e, h, sp, dp, seq, flags] of fc.sample(
      fc.tuple(l2, ipHeader, u16, u16, u32, fc.integer({ min: 0, max: 0xff })),
      RUNS,
    )) {
      const ph = { family: 'ipv4' as const, src: h.src, dst: h.dst };
      const tcp = buildTcp(
        {
          srcPort: sp,
          dstPort: dp,
          seq,
          ack: 0,
          flags,
          window: 1000,
          urgentPointer: 0,
          payload: Buffer.alloc(0),
        },
        ph,
      );
      const ip = buildIpv4Packet({
        ...h,
        dontFragment: true,
        moreFragments: false,
        fragmentOffset: 0,
        protocol: IpProtocol.TCP,
        payload: tcp,
      });
      const f = ovsFlowOf(withEthernet(e as never, EtherType.IPV4, ip));
      expect([f.get('tp_src'), f.get('tp_dst'), f.get('tcp_csum')]).toEqual([
        String(sp),
        String(dp),
        tcp.readUInt16BE(16).toString(16),
      ]);
    }
    for (const [e, h, type, code] of fc.sample(fc.tuple(l2, ipHeader, u8, u8), RUNS)) {
      const icmp = buildIcmp({ kind: 'other', type, code, rest: 0, data: Buffer.alloc(4) });
      const ip = buildIpv4Packet({
        ...h,
        dontFragment: false,
        moreFragments: false,
        fragmentOffset: 0,
        protocol: IpProtocol.ICMP,
        payload: icmp,
      });
      const f = ovsFlowOf(withEthernet(e as never, EtherType.IPV4, ip));
      expect([f.get('icmp_type'), f.get('icmp_code'), f.get('icmp_csum')]).toEqual([
        String(type),
        String(code),
        icmp.readUInt16BE(2).toString(16),
      ]);
    }
  });

  it('IPv6 behind extension headers', () => {
    for (const [e, src, dst, label, hop] of fc.sample(
      fc.tuple(l2, ipv6, ipv6, fc.integer({ min: 0, max: 0xfffff }), u8),
      RUNS,
    )) {
      const udp = buildUdp(
        { srcPort: 546, dstPort: 547, payload: Buffer.from('x') },
        { family: 'ipv6', src, dst },
      );
      const dstOpts = Buffer.from([IpProtocol.UDP, 0, 1, 4, 0, 0, 0, 0]);
      const ip = buildIpv6Packet({
        trafficClass: 0,
        flowLabel: label,
        nextHeader: IpProtocol.IPV6_OPTS,
        hopLimit: hop,
        src,
        dst,
        payload: Buffer.concat([dstOpts, udp]),
      });
      const f = ovsFlowOf(withEthernet(e as never, EtherType.IPV6, ip));
      checkL2(f, e);
      expect([
        f.get('ipv6_src'),
        f.get('ipv6_dst'),
        f.get('ipv6_label'),
        f.get('nw_ttl'),
        f.get('tp_src'),
        f.get('tp_dst'),
      ]).toEqual([src, dst, `0x${label.toString(16).padStart(5, '0')}`, String(hop), '546', '547']);
    }
  });
});
