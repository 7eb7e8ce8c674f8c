/**
 * The ICMP errors the controller builds for a router: time-exceeded and net unreachable,
 * addressed back to the sender from the router's address on its subnet, valid checksums,
 * the original header and 8 bytes quoted (checked by decoding the reply with the packet
 * parsers, and as a fast-check property over random inner packets); none for ICMP errors,
 * non-first fragments, broadcast/multicast destinations, sources that are not one host, a
 * live TTL (time-exceeded) or a destination with a route (net unreachable).
 */
import fc from 'fast-check';
import {
  icmpErrorFor,
  netUnreachable,
  parsePrefix,
  type RouterView,
  timeExceeded,
} from '../../../../src/modules/l3';
import {
  buildEthernet,
  buildIcmp,
  buildIpv4Packet,
  decodeFrame,
  type Ipv4Address,
  type MacAddress,
  parseIpv4Packet,
  verifyIcmpChecksum,
  verifyIpv4Checksum,
} from '../../../../src/openflow/packet';

const GW = '02:56:4c:00:00:01' as MacAddress;
const ROUTER: RouterView = {
  id: 'r1',
  interfaces: [
    { subnetId: 's1', nwid: 1, cidr: parsePrefix('10.1.0.0/24')!, address: '10.1.0.1' as Ipv4Address },
    { subnetId: 's2', nwid: 2, cidr: parsePrefix('10.2.0.0/24')!, address: '10.2.0.1' as Ipv4Address },
  ],
  ports: [],
  routes: [{ prefix: parsePrefix('192.168.0.0/16')!, nexthop: '10.2.0.5' as Ipv4Address }],
  logicalPorts: [],
};

function frame(
  src: string,
  ttl: number,
  payload: Buffer,
  protocol = 17,
  fragmentOffset = 0,
  dst = '10.2.0.12',
  ethDst: string = GW,
): Buffer {
  const ip = buildIpv4Packet({
    dscp: 0,
    ecn: 0,
    identification: 0x1234,
    dontFragment: false,
    moreFragments: false,
    fragmentOffset,
    ttl,
    protocol,
    src: src as Ipv4Address,
    dst: dst as Ipv4Address,
    payload,
  });
  return buildEthernet({
    dst: ethDst as MacAddress,
    src: '02:00:00:00:01:11' as MacAddress,
    ethertype: 0x0800,
    payload: ip,
  });
}

describe('time-exceeded', () => {
  it('answers the sender from the router address on its subnet, quoting header + 8 bytes', () => {
    const original = frame('10.2.0.77', 1, Buffer.from('0123456789abcdefghij'));
    const r = timeExceeded(decodeFrame(original), ROUTER, GW);
    expect(r.kind).toBe('reply');
    if (r.kind !== 'reply') return;
    expect(r.from).toBe('10.2.0.1');
    const d = decodeFrame(r.frame);
    expect(d.ethernet).toMatchObject({ src: GW, dst: '02:00:00:00:01:11' });
    expect(d.ipv4).toMatchObject({ src: '10.2.0.1', dst: '10.2.0.77', protocol: 1, ttl: 64 });
    expect(verifyIpv4Checksum(r.frame.subarray(14, 34))).toBe(true);
    expect(verifyIcmpChecksum(d.ipv4!.payload)).toBe(true);
    expect(d.icmp).toMatchObject({ kind: 'time-exceeded', code: 0 });
    const quote = d.icmp!.kind === 'time-exceeded' ? Buffer.from(d.icmp!.original) : Buffer.alloc(0);
    expect(quote).toEqual(original.subarray(14, 14 + 28));
  });

  it('a sender outside every attached subnet gets it from the first interface', () => {
    const r = timeExceeded(decodeFrame(frame('172.16.1.1', 0, Buffer.alloc(8))), ROUTER, GW);
    expect(r).toMatchObject({ kind: 'reply', from: '10.1.0.1' });
  });

  it('none for an ICMP error, a later fragment or a TTL that has not run out', () => {
    const err = buildIcmp({
      kind: 'destination-unreachable',
      code: 1,
      nextHopMtu: 0,
      original: Buffer.alloc(28),
    });
    expect(timeExceeded(decodeFrame(frame('10.1.0.11', 1, err, 1)), ROUTER, GW).kind).toBe('none');
    expect(timeExceeded(decodeFrame(frame('10.1.0.11', 1, Buffer.alloc(8), 17, 10)), ROUTER, GW).kind).toBe(
      'none',
    );
    expect(timeExceeded(decodeFrame(frame('10.1.0.11', 5, Buffer.alloc(8))), ROUTER, GW)).toMatchObject({
      kind: 'none',
      reason: 'TTL 5 has not run out',
    });
    const echo = buildIcmp({
      kind: 'echo-request',
      code: 0,
      identifier: 1,
      sequence: 1,
      data: Buffer.alloc(8),
    });
    expect(timeExceeded(decodeFrame(frame('10.1.0.11', 1, echo, 1)), ROUTER, GW).kind).toBe('reply');
  });
});

/** The quote an error carries, checked against the frame it answers. */
function expectQuote(reply: Buffer, original: Buffer): void {
  const d = decodeFrame(reply);
  const icmp = d.icmp;
  const quote =
    icmp?.kind === 'destination-unreachable' || icmp?.kind === 'time-exceeded' ? icmp.original : undefined;
  const ip = parseIpv4Packet(original.subarray(14));
  const headerLength = 20 + ip.options.length;
  expect(Buffer.from(quote ?? [])).toEqual(
    original.subarray(14, 14 + headerLength + Math.min(8, ip.payload.length)),
  );
}

describe('net unreachable', () => {
  it('type 3 code 0 from the gateway on the sender’s subnet, valid checksums, header + 8 bytes quoted', () => {
    const original = frame('10.1.0.11', 64, Buffer.from('0123456789abcdefghij'), 6, 0, '203.0.113.1');
    const r = netUnreachable(decodeFrame(original), ROUTER, GW);
    expect(r).toMatchObject({ kind: 'reply', error: 'net-unreachable', from: '10.1.0.1' });
    if (r.kind !== 'reply') return;
    const d = decodeFrame(r.frame);
    expect(d.error).toBeUndefined();
    expect(d.ethernet).toMatchObject({ src: GW, dst: '02:00:00:00:01:11', ethertype: 0x0800 });
    expect(d.ipv4).toMatchObject({
      src: '10.1.0.1',
      dst: '10.1.0.11',
      protocol: 1,
      ttl: 64,
      fragmentOffset: 0,
      moreFragments: false,
    });
    expect(d.icmp).toMatchObject({ kind: 'destination-unreachable', code: 0, nextHopMtu: 0 });
    expect(verifyIpv4Checksum(r.frame.subarray(14, 34))).toBe(true);
    expect(verifyIcmpChecksum(d.ipv4!.payload)).toBe(true);
    expectQuote(r.frame, original);
    // What the packet-in handler picks for a live TTL.
    expect(icmpErrorFor(decodeFrame(original), ROUTER, GW)).toEqual(r);
  });

  it('the quote stops at the IP total length: Ethernet padding is not quoted', () => {
    // 20-byte header + 4 payload bytes, padded to the 60-byte Ethernet minimum with 0xee.
    const short = frame('10.1.0.11', 64, Buffer.from('abcd'), 17, 0, '203.0.113.1');
    const padded = Buffer.concat([short, Buffer.alloc(60 - short.length, 0xee)]);
    const r = netUnreachable(decodeFrame(padded), ROUTER, GW);
    expect(r.kind).toBe('reply');
    if (r.kind === 'reply') expectQuote(r.frame, short);
  });

  it('none where RFC 1812 4.3.2.7 forbids one, or where a route exists', () => {
    const why = (f: Buffer) => {
      const r = netUnreachable(decodeFrame(f), ROUTER, GW);
      return r.kind === 'none' ? r.reason : 'reply';
    };
    const body = Buffer.alloc(8);
    const errorIcmp = (type: number) => {
      const b = buildIcmp({ kind: 'other', type, code: 0, rest: 0, data: Buffer.alloc(28) });
      return frame('10.1.0.11', 64, b, 1, 0, '203.0.113.1');
    };
    for (const t of [3, 4, 5, 11, 12]) expect(why(errorIcmp(t))).toMatch(/ICMP error/);
    expect(why(errorIcmp(8))).toBe('reply');
    expect(why(frame('10.1.0.11', 64, body, 17, 0, '255.255.255.255'))).toMatch(/broadcast or multicast/);
    expect(why(frame('10.1.0.11', 64, body, 17, 0, '224.0.0.5'))).toMatch(/broadcast or multicast/);
    expect(why(frame('10.1.0.11', 64, body, 17, 0, '239.1.2.3'))).toMatch(/broadcast or multicast/);
    expect(why(frame('10.1.0.11', 64, body, 17, 0, '10.2.0.255'))).toMatch(/broadcast or multicast/);
    expect(why(frame('10.1.0.11', 64, body, 17, 0, '203.0.113.1', 'ff:ff:ff:ff:ff:ff'))).toMatch(
      /link-layer/,
    );
    expect(why(frame('10.1.0.11', 64, body, 17, 0, '203.0.113.1', '01:00:5e:00:00:05'))).toMatch(
      /link-layer/,
    );
    expect(why(frame('10.1.0.11', 64, body, 17, 10, '203.0.113.1'))).toBe('not the first fragment');
    for (const src of ['0.0.0.0', '127.0.0.1', '224.0.0.1', '240.0.0.1', '255.255.255.255'])
      expect(why(frame(src, 64, body, 17, 0, '203.0.113.1'))).toMatch(/not a single host/);
    // Attached subnets and static routes are routed, not unreachable.
    expect(why(frame('10.1.0.11', 64, body, 17, 0, '10.2.0.77'))).toMatch(/has a route/);
    expect(why(frame('10.1.0.11', 64, body, 17, 0, '192.168.9.9'))).toMatch(/has a route/);
    expect(why(frame('10.1.0.11', 64, body, 17, 0, '8.8.8.8'))).toBe('reply');
  });

  it('property: any unicast packet without a route gets a reply that decodes, verifies and quotes it', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    // Destinations outside 10.0.0.0/8 and 192.168.0.0/16 (the router's subnets and route), unicast.
    const dst = fc
      .tuple(fc.integer({ min: 1, max: 223 }), octet, octet, octet)
      .filter(([a, b]) => a !== 10 && a !== 127 && !(a === 192 && b === 168));
    const src = fc.oneof(
      fc.tuple(fc.constant(10), fc.constantFrom(1, 2), fc.constant(0), fc.integer({ min: 2, max: 254 })),
      fc.tuple(fc.integer({ min: 11, max: 126 }), octet, octet, octet),
    );
    fc.assert(
      fc.property(
        src,
        dst,
        fc.record({
          ttl: fc.integer({ min: 2, max: 255 }),
          protocol: fc.integer({ min: 0, max: 255 }).filter((p) => p !== 1),
          dscp: fc.integer({ min: 0, max: 63 }),
          identification: fc.integer({ min: 0, max: 0xffff }),
          dontFragment: fc.boolean(),
          moreFragments: fc.boolean(),
          options: fc
            .integer({ min: 0, max: 10 })
            .chain((n) => fc.uint8Array({ minLength: 4 * n, maxLength: 4 * n })),
          payload: fc.uint8Array({ maxLength: 64 }),
        }),
        (s, d, p) => {
          const sender = s.join('.') as Ipv4Address;
          const ip = buildIpv4Packet({
            dscp: p.dscp,
            ecn: 0,
            identification: p.identification,
            dontFragment: p.dontFragment,
            moreFragments: p.moreFragments,
            fragmentOffset: 0,
            ttl: p.ttl,
            protocol: p.protocol,
            src: sender,
            dst: d.join('.') as Ipv4Address,
            options: p.options,
            payload: p.payload,
          });
          const original = buildEthernet({
            dst: GW,
            src: '02:00:00:00:01:11' as MacAddress,
            ethertype: 0x0800,
            payload: ip,
          });
          const r = icmpErrorFor(decodeFrame(original), ROUTER, GW);
          expect(r.kind).toBe('reply');
          if (r.kind !== 'reply') return;
          const out = decodeFrame(r.frame);
          expect(out.error).toBeUndefined();
          const expectedFrom = s[0] === 10 ? `10.${s[1]}.0.1` : '10.1.0.1';
          expect(out.ipv4).toMatchObject({ src: expectedFrom, dst: sender, protocol: 1, ttl: 64 });
          expect(out.icmp).toMatchObject({ kind: 'destination-unreachable', code: 0 });
          expect(verifyIpv4Checksum(out.ethernet!.payload)).toBe(true);
          expect(verifyIcmpChecksum(out.ipv4!.payload)).toBe(true);
          expectQuote(r.frame, original);
        },
      ),
      { numRuns: 300 },
    );
  });
});
