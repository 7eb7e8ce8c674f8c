/**
 * The ICMP errors the controller builds for a router: time-exceeded, host unreachable and net
 * unreachable, addressed back to the sender from the router's address on its subnet, valid
 * checksums, the original header and 8 bytes quoted (checked by decoding the reply with the
 * packet parsers, and as a fast-check property over random inner packets); none for ICMP
 * errors, non-first fragments, broadcast/multicast destinations (a subnet's network and
 * broadcast addresses too), sources that are not one host, a live TTL (time-exceeded) or a
 * destination the view routes. A property over random router views checks which error the
 * controller picks: none for the router's or a port's address, host unreachable for an
 * address only an attached subnet covers, net unreachable for one nothing covers.
 */
import fc from 'fast-check';
import {
  icmpErrorFor,
  netUnreachable,
  parsePrefix,
  type RouterView,
  timeExceeded,
} from '../../../../src/modules/l3';
import { destinationKind, hostUnreachable } from '../../../../src/modules/l3/icmp-errors';
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
  unroutable: [],
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

/**
 * A destination unreachable with `code` from the gateway 10.1.0.1 to port A, as the wire
 * has it (type and code bytes too), checksums valid, quoting `original`.
 */
function expectUnreachableReply(reply: Buffer, code: number, original: Buffer): void {
  const d = decodeFrame(reply);
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
  expect(d.icmp).toMatchObject({ kind: 'destination-unreachable', code, nextHopMtu: 0 });
  expect(reply[14 + 20]).toBe(3);
  expect(reply[14 + 21]).toBe(code);
  expect(verifyIpv4Checksum(reply.subarray(14, 34))).toBe(true);
  expect(verifyIcmpChecksum(d.ipv4!.payload)).toBe(true);
  expectQuote(reply, original);
}

describe('net unreachable', () => {
  it('type 3 code 0 from the gateway on the sender’s subnet, valid checksums, header + 8 bytes quoted', () => {
    const original = frame('10.1.0.11', 64, Buffer.from('0123456789abcdefghij'), 6, 0, '203.0.113.1');
    const r = netUnreachable(decodeFrame(original), ROUTER, GW);
    expect(r).toMatchObject({ kind: 'reply', error: 'net-unreachable', from: '10.1.0.1' });
    if (r.kind !== 'reply') return;
    expectUnreachableReply(r.frame, 0, original);
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

const HOST_ROUTER: RouterView = {
  ...ROUTER,
  ports: [
    { ip: '10.1.0.11' as Ipv4Address, mac: '02:00:00:00:01:11' as MacAddress, nwid: 1 },
    { ip: '10.2.0.12' as Ipv4Address, mac: '02:00:00:00:02:12' as MacAddress, nwid: 2 },
  ],
  routes: [...ROUTER.routes, { prefix: parsePrefix('10.2.0.128/25')!, nexthop: '10.2.0.12' as Ipv4Address }],
};

describe('host unreachable', () => {
  it('type 3 code 1 from the gateway on the sender’s subnet, valid checksums, header + 8 bytes quoted', () => {
    const original = frame('10.1.0.11', 64, Buffer.from('0123456789abcdefghij'), 6, 0, '10.2.0.77');
    const r = hostUnreachable(decodeFrame(original), HOST_ROUTER, GW);
    expect(r).toMatchObject({ kind: 'reply', error: 'host-unreachable', from: '10.1.0.1' });
    if (r.kind !== 'reply') return;
    expectUnreachableReply(r.frame, 1, original);
    // What the packet-in handler picks for a live TTL; TTL 1 is still time-exceeded.
    expect(icmpErrorFor(decodeFrame(original), HOST_ROUTER, GW)).toEqual(r);
    const expired = frame('10.1.0.11', 1, Buffer.alloc(8), 6, 0, '10.2.0.77');
    expect(icmpErrorFor(decodeFrame(expired), HOST_ROUTER, GW)).toMatchObject({ error: 'time-exceeded' });
  });

  it('none for a port’s, the router’s, a routed or a broadcast address, nor where RFC 1812 forbids one', () => {
    const why = (dst: string, extra: { src?: string; protocol?: number; payload?: Buffer } = {}) => {
      const f = frame(
        extra.src ?? '10.1.0.11',
        64,
        extra.payload ?? Buffer.alloc(8),
        extra.protocol ?? 17,
        0,
        dst,
      );
      const r = hostUnreachable(decodeFrame(f), HOST_ROUTER, GW);
      return r.kind === 'none' ? r.reason : 'reply';
    };
    expect(why('10.2.0.77')).toBe('reply');
    expect(why('10.2.0.12')).toMatch(/\(port\)/);
    expect(why('10.2.0.1')).toMatch(/\(router\)/);
    // A longer static route inside the subnet routes it; net-unreachable ground is not this one's.
    expect(why('10.2.0.200')).toMatch(/\(static-route\)/);
    expect(why('8.8.8.8')).toMatch(/\(no-route\)/);
    expect(why('10.2.0.0')).toMatch(/broadcast/);
    expect(why('10.1.0.255')).toMatch(/broadcast/);
    expect(why('10.2.0.77', { src: '0.0.0.0' })).toMatch(/not a single host/);
    const err = buildIcmp({
      kind: 'destination-unreachable',
      code: 1,
      nextHopMtu: 0,
      original: Buffer.alloc(28),
    });
    expect(why('10.2.0.77', { protocol: 1, payload: err })).toMatch(/ICMP error/);
    // The packet-in's choice for the same packets: nothing where there is no unknown host either.
    for (const dst of ['10.2.0.12', '10.2.0.1', '10.2.0.200', '10.2.0.255'])
      expect(
        icmpErrorFor(decodeFrame(frame('10.1.0.11', 64, Buffer.alloc(8), 17, 0, dst)), HOST_ROUTER, GW).kind,
      ).toBe('none');
  });

  it('property: for random router views and destinations, the error matches what the view says', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    // Small address space so subnets, ports, routes and destinations collide often.
    const addrIn = fc.tuple(
      fc.constantFrom(10),
      fc.constantFrom(1, 2),
      fc.integer({ min: 0, max: 3 }),
      octet,
    );
    const anyAddr = fc.oneof(addrIn, fc.tuple(fc.integer({ min: 1, max: 223 }), octet, octet, octet));
    const toIp = (a: readonly number[]) => a.join('.') as Ipv4Address;
    const prefix = fc
      .tuple(anyAddr, fc.integer({ min: 8, max: 32 }))
      .map(([a, l]) => parsePrefix(`${toIp(a)}/${l}`)!);
    const view = fc
      .record({
        subnets: fc.array(fc.tuple(addrIn, fc.integer({ min: 16, max: 30 })), { minLength: 1, maxLength: 3 }),
        ports: fc.array(addrIn, { maxLength: 6 }),
        routes: fc.array(fc.tuple(prefix, addrIn), { maxLength: 3 }),
      })
      .map(
        (v): RouterView => ({
          id: 'r',
          interfaces: v.subnets.map(([a, l], i) => {
            const cidr = parsePrefix(`${toIp(a)}/${l}`)!;
            const n = cidr.network + 1;
            return {
              subnetId: `s${i}`,
              nwid: i + 1,
              cidr,
              address: toIp([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]),
            };
          }),
          ports: v.ports.map((a, i) => ({
            ip: toIp(a),
            mac: `02:00:00:00:00:${i.toString(16).padStart(2, '0')}` as MacAddress,
            nwid: 1,
          })),
          routes: v.routes.map(([p, hop]) => ({ prefix: p, nexthop: toIp(hop) })),
          unroutable: [],
          logicalPorts: [],
        }),
      );
    const numberOf = (ip: string) => ip.split('.').reduce((x, o) => x * 256 + Number(o), 0);
    const covers = (p: { network: number; length: number }, ip: string) =>
      Math.floor(numberOf(ip) / 2 ** (32 - p.length)) === Math.floor(p.network / 2 ** (32 - p.length));
    fc.assert(
      fc.property(view, fc.oneof(addrIn, anyAddr), (v, d) => {
        const dst = toIp(d);
        // Sender: a port-less host of the first subnet (never the destination's own subnet rules).
        const f = frame('10.1.0.11', 64, Buffer.alloc(8), 17, 0, dst);
        const r = icmpErrorFor(decodeFrame(f), v, GW);
        const got = r.kind === 'reply' ? r.error : 'none';
        const n = numberOf(dst);
        const broadcast = v.interfaces.some((i) => {
          const size = 2 ** (32 - i.cidr.length);
          return covers(i.cidr, dst) && (n === i.cidr.network || n === i.cidr.network + size - 1);
        });
        const connected = Math.max(
          -1,
          ...v.interfaces.filter((i) => covers(i.cidr, dst)).map((i) => i.cidr.length),
        );
        const routed = Math.max(
          -1,
          ...v.routes.filter((r) => covers(r.prefix, dst)).map((r) => r.prefix.length),
        );
        let want: string;
        if (v.interfaces.some((i) => i.address === dst)) want = 'none';
        else if (v.ports.some((p) => p.ip === dst)) want = 'none';
        else if (broadcast) want = 'none';
        else if (connected < 0 && routed < 0) want = 'net-unreachable';
        else want = connected >= routed ? 'host-unreachable' : 'none';
        expect(got).toBe(want);
        if (r.kind === 'reply') {
          const out = decodeFrame(r.frame);
          expect(out.icmp).toMatchObject({
            kind: 'destination-unreachable',
            code: want === 'host-unreachable' ? 1 : 0,
          });
          expect(verifyIcmpChecksum(out.ipv4!.payload)).toBe(true);
          // From the router's address on the sender's subnet, else its first interface.
          const home = v.interfaces.find((i) => covers(i.cidr, '10.1.0.11')) ?? v.interfaces[0]!;
          expect(r.from).toBe(home.address);
        }
        // The view's own words agree with the reference.
        const kind = destinationKind(v, dst);
        if (want === 'host-unreachable') expect(kind).toBe('unknown-host');
        if (want === 'net-unreachable') expect(kind).toBe('no-route');
      }),
      { numRuns: 500 },
    );
  });
});
