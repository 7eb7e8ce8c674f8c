import fc from 'fast-check';
import {
  buildArp,
  buildEthernet,
  buildIcmp,
  buildIcmpv6,
  buildIpv4Packet,
  buildIpv6Packet,
  buildTcp,
  buildUdp,
  type IcmpMessage,
  type Icmpv6Message,
  parseArp,
  parseEthernet,
  parseIcmp,
  parseIcmpv6,
  parseIpv4Packet,
  parseIpv6Packet,
  parseTcp,
  parseUdp,
  verifyIcmpChecksum,
  verifyIcmpv6Checksum,
  verifyUdpChecksum,
} from '../../../../src/openflow/packet';
import { bytes, ipv4, ipv6, mac, pseudo, u8, u16, u32 } from './arbitraries';

/** Parsed results hold Buffer views; compare them as plain bytes. */
function plain(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** ICMP and ICMPv6 echo requests and replies share one layout. */
const echo = fc.record({
  kind: fc.constantFrom('echo-request' as const, 'echo-reply' as const),
  code: u8,
  identifier: u16,
  sequence: u16,
  data: bytes(),
});

describe('packet round trips (build -> parse -> build)', () => {
  it('Ethernet with and without a VLAN tag', () => {
    const vlan = fc.record({
      pcp: fc.integer({ min: 0, max: 7 }),
      dei: fc.boolean(),
      vid: fc.integer({ min: 0, max: 4095 }),
    });
    const frame = fc.record(
      {
        dst: mac,
        src: mac,
        vlan,
        ethertype: fc.integer({ min: 0x0600, max: 0xffff }).filter((t) => t !== 0x8100),
        payload: bytes(),
      },
      { requiredKeys: ['dst', 'src', 'ethertype', 'payload'] },
    );
    fc.assert(
      fc.property(frame, (f) => {
        const wire = buildEthernet(f);
        const parsed = parseEthernet(wire);
        expect(plain(parsed)).toEqual(plain(f));
        expect(buildEthernet(parsed)).toEqual(wire);
      }),
    );
  });

  it('ARP', () => {
    const arp = fc.record({ op: u16, senderMac: mac, senderIp: ipv4, targetMac: mac, targetIp: ipv4 });
    fc.assert(fc.property(arp, (a) => expect(parseArp(buildArp(a))).toEqual(a)));
  });

  it('IPv4 with options', () => {
    const p = fc.record({
      dscp: fc.integer({ min: 0, max: 63 }),
      ecn: fc.integer({ min: 0, max: 3 }),
      identification: u16,
      dontFragment: fc.boolean(),
      moreFragments: fc.boolean(),
      fragmentOffset: fc.integer({ min: 0, max: 0x1fff }),
      ttl: u8,
      protocol: u8,
      src: ipv4,
      dst: ipv4,
      options: fc
        .integer({ min: 0, max: 10 })
        .chain((n) => fc.uint8Array({ minLength: 4 * n, maxLength: 4 * n })),
      payload: bytes(),
    });
    fc.assert(
      fc.property(p, (fields) => {
        const wire = buildIpv4Packet(fields);
        const parsed = parseIpv4Packet(wire);
        const { checksum, ...rest } = parsed;
        expect(plain(rest)).toEqual(plain(fields));
        expect(buildIpv4Packet(parsed)).toEqual(wire);
        expect(checksum).toBe(wire.readUInt16BE(10));
      }),
    );
  });

  it('IPv4 ignores Ethernet padding after total length', () => {
    const wire = buildIpv4Packet({
      ...{ dscp: 0, ecn: 0, identification: 0, dontFragment: false, moreFragments: false, fragmentOffset: 0 },
      ...{
        ttl: 1,
        protocol: 1,
        src: '1.2.3.4' as never,
        dst: '5.6.7.8' as never,
        payload: Buffer.from('abc'),
      },
    });
    const padded = Buffer.concat([wire, Buffer.alloc(20)]);
    expect(parseIpv4Packet(padded).payload.toString()).toBe('abc');
  });

  it('IPv6 skips extension headers to the upper layer', () => {
    // Hop-by-hop (8 bytes, next = dest opts), dest opts (16 bytes, next = UDP), then 4 bytes of UDP-ish payload.
    const hbh = Buffer.from([60, 0, 1, 4, 0, 0, 0, 0]);
    const dst = Buffer.from([17, 1, 1, 12, ...new Array(12).fill(0)]);
    const body = Buffer.from('data');
    fc.assert(
      fc.property(
        fc.record({
          trafficClass: u8,
          flowLabel: fc.integer({ min: 0, max: 0xfffff }),
          hopLimit: u8,
          src: ipv6,
          dst: ipv6,
        }),
        (h) => {
          const wire = buildIpv6Packet({ ...h, nextHeader: 0, payload: Buffer.concat([hbh, dst, body]) });
          const p = parseIpv6Packet(wire);
          expect(p.upperProtocol).toBe(17);
          expect(p.extensionHeaders.map((e) => [e.type, e.data.length])).toEqual([
            [0, 8],
            [60, 16],
          ]);
          expect(p.upperPayload.toString()).toBe('data');
          expect(buildIpv6Packet(p)).toEqual(wire);
        },
      ),
    );
  });

  it('IPv6 stops at a non-first fragment', () => {
    const frag = Buffer.from([17, 0, 0, 8 << 3, 0, 0, 0, 1]);
    const wire = buildIpv6Packet({
      trafficClass: 0,
      flowLabel: 0,
      hopLimit: 64,
      src: '::1' as never,
      dst: '::2' as never,
      nextHeader: 44,
      payload: Buffer.concat([frag, Buffer.from('xx')]),
    });
    expect(parseIpv6Packet(wire).upperProtocol).toBe(44);
  });

  it('ICMP messages keep their kind and verify', () => {
    const msg: fc.Arbitrary<IcmpMessage> = fc.oneof(
      echo,
      fc.record({
        kind: fc.constant('destination-unreachable' as const),
        code: u8,
        nextHopMtu: u16,
        original: bytes(),
      }),
      fc.record({ kind: fc.constant('time-exceeded' as const), code: u8, original: bytes() }),
      fc.record({
        kind: fc.constant('other' as const),
        type: fc.constantFrom(5, 13, 14, 42),
        code: u8,
        rest: u32,
        data: bytes(),
      }),
    );
    fc.assert(
      fc.property(msg, (m) => {
        const wire = buildIcmp(m);
        expect(verifyIcmpChecksum(wire)).toBe(true);
        const { checksum: _c, ...parsed } = parseIcmp(wire);
        expect(plain(parsed)).toEqual(plain(m));
        expect(buildIcmp(parsed)).toEqual(wire);
      }),
    );
  });

  it('ICMPv6 messages verify against their pseudo-header', () => {
    const msg: fc.Arbitrary<Icmpv6Message> = fc.oneof(
      echo,
      fc.record({
        kind: fc.constant('other' as const),
        type: fc.constantFrom(1, 2, 3, 135, 136),
        code: u8,
        body: bytes(),
      }),
    );
    fc.assert(
      fc.property(msg, pseudo, (m, ph) => {
        const wire = buildIcmpv6(m, ph);
        expect(verifyIcmpv6Checksum(wire, ph)).toBe(true);
        const { checksum: _c, ...parsed } = parseIcmpv6(wire);
        expect(plain(parsed)).toEqual(plain(m));
      }),
    );
  });

  it('UDP and TCP', () => {
    fc.assert(
      fc.property(u16, u16, bytes(), pseudo, (srcPort, dstPort, payload, ph) => {
        const wire = buildUdp({ srcPort, dstPort, payload }, ph);
        expect(verifyUdpChecksum(wire, ph)).toBe(true);
        const p = parseUdp(wire);
        expect([p.srcPort, p.dstPort, p.payload.toString('hex')]).toEqual([
          srcPort,
          dstPort,
          payload.toString('hex'),
        ]);
        expect(buildUdp(p, ph)).toEqual(wire);
      }),
    );
    const tcp = fc.record({
      srcPort: u16,
      dstPort: u16,
      seq: u32,
      ack: u32,
      flags: fc.integer({ min: 0, max: 0xfff }),
      window: u16,
      urgentPointer: u16,
      options: fc
        .integer({ min: 0, max: 10 })
        .chain((n) => fc.uint8Array({ minLength: 4 * n, maxLength: 4 * n })),
      payload: bytes(),
    });
    fc.assert(
      fc.property(tcp, pseudo, (t, ph) => {
        const wire = buildTcp(t, ph);
        const { checksum: _c, ...parsed } = parseTcp(wire);
        expect(plain(parsed)).toEqual(plain(t));
        expect(buildTcp(parseTcp(wire), ph)).toEqual(wire);
      }),
    );
  });
});
