/**
 * The reply builder against random subnets and settings: every reply decodes back (our
 * decoder, checksums verified) to the lease's values, is well formed (each option once,
 * within the client's size limit), and goes where RFC 2131 4.1 says.
 */
import fc from 'fast-check';
import {
  answerDhcp,
  type DhcpLease,
  INFINITE_LEASE,
  resolveLease,
} from '../../../../src/modules/dhcp-server';
import type { JsonObject } from '../../../../src/objectdb';
import {
  BROADCAST_IPV4,
  BROADCAST_MAC,
  DhcpMessageType,
  type DhcpPacket,
  decodeFrame,
  dhcpOption,
  type Ipv4Address,
  ipv4FromNumber,
  ipv4ToNumber,
  type MacAddress,
  parseDhcp,
  parseIpv4Address,
  parseMacAddress,
  prefixToNetmask,
  verifyIpv4Checksum,
  verifyUdpChecksum,
  ZERO_IPV4,
} from '../../../../src/openflow/packet';
import { ipv4, mac } from '../../openflow/packet/arbitraries';
import { clientFrame } from './client-frames';

const SERVER = { mac: parseMacAddress('1a:23:67:59:63:33') };
const DEFAULTS = { leaseTime: 86400, serverAddress: parseIpv4Address('169.254.169.254') };

interface Scenario {
  readonly network: JsonObject;
  readonly subnet: JsonObject;
  readonly port: JsonObject;
  readonly expect: {
    readonly address: Ipv4Address;
    readonly mac: MacAddress;
    readonly mask: Ipv4Address;
    readonly gateway: Ipv4Address | undefined;
    readonly dns: readonly Ipv4Address[] | undefined;
    readonly domain: string | undefined;
    readonly ntp: readonly Ipv4Address[] | undefined;
    readonly mtu: number | undefined;
    readonly leaseTime: number;
    readonly routes: readonly (readonly [string, Ipv4Address])[];
  };
}

const text = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}(\.[a-z]{2,6})?$/);
const ipList = fc.array(ipv4, { minLength: 1, maxLength: 3 });
/** A setting given on the network, the subnet, both (subnet wins) or neither. */
function layered<T>(arb: fc.Arbitrary<T>) {
  return fc.record({
    onNetwork: fc.option(arb, { nil: undefined }),
    onSubnet: fc.option(arb, { nil: undefined }),
  });
}

const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    prefix: fc.integer({ min: 8, max: 29 }),
    base: fc.integer({ min: 0, max: 0xffffffff }),
    hostA: fc.nat(),
    hostB: fc.nat(),
    withGateway: fc.boolean(),
    mac: mac.map((m) => parseMacAddress(`02${m.slice(2)}`)),
    dns: layered(ipList),
    domain: layered(text),
    ntp: layered(ipList),
    mtu: layered(fc.integer({ min: 576, max: 9000 })),
    lease: layered(fc.oneof(fc.integer({ min: 60, max: 10_000_000 }), fc.constant('infinite' as const))),
    routes: fc.array(fc.record({ dest: ipv4, len: fc.integer({ min: 0, max: 32 }), via: ipv4 }), {
      maxLength: 3,
    }),
    nwid: fc.integer({ min: 1, max: 2 ** 40 }),
  })
  .map((r) => {
    const size = 2 ** (32 - r.prefix);
    const mask = ipv4ToNumber(prefixToNetmask(r.prefix));
    const net = (r.base & mask) >>> 0;
    const a = net + 1 + (r.hostA % (size - 2));
    let g = net + 1 + (r.hostB % (size - 2));
    if (g === a) g = a === net + 1 ? a + 1 : net + 1;
    const address = ipv4FromNumber(a);
    const gateway = r.withGateway ? ipv4FromNumber(g) : undefined;
    const pick = <T>(l: { onNetwork?: T; onSubnet?: T }) => l.onSubnet ?? l.onNetwork;
    const routes = r.routes.map(
      (x) =>
        [
          `${ipv4FromNumber((ipv4ToNumber(x.dest) & ipv4ToNumber(prefixToNetmask(x.len))) >>> 0)}/${x.len}`,
          x.via,
        ] as const,
    );
    const network: Record<string, unknown> = { id: 'n1', nwid: r.nwid };
    const subnet: Record<string, unknown> = {
      id: 's1',
      network: { $ref: 'viperflow.logicalnetwork.n1' },
      cidr: `${ipv4FromNumber(net)}/${r.prefix}`,
    };
    if (gateway) subnet.gateway = gateway;
    if (routes.length > 0) subnet.host_routes = routes;
    for (const [attr, l] of [
      ['dns_nameservers', r.dns],
      ['domain_name', r.domain],
      ['ntp_servers', r.ntp],
      ['mtu', r.mtu],
      ['lease_time', r.lease],
    ] as const) {
      if (l.onNetwork !== undefined) network[attr] = l.onNetwork;
      if (l.onSubnet !== undefined) subnet[attr] = l.onSubnet;
    }
    const lease = pick(r.lease);
    const expectedRoutes =
      routes.length > 0 && gateway && !routes.some(([p]) => p.endsWith('/0'))
        ? [...routes, ['0.0.0.0/0', gateway] as const]
        : routes;
    return {
      network: network as JsonObject,
      subnet: subnet as JsonObject,
      port: {
        id: 'p1',
        network: { $ref: 'viperflow.logicalnetwork.n1' },
        subnet: { $ref: 'viperflow.subnet.s1' },
        mac_address: r.mac,
        ip_address: address,
      },
      expect: {
        address,
        mac: r.mac,
        mask: prefixToNetmask(r.prefix),
        gateway,
        dns: pick(r.dns),
        domain: pick(r.domain),
        ntp: pick(r.ntp),
        mtu: pick(r.mtu),
        leaseTime: lease === undefined ? 86400 : lease === 'infinite' ? INFINITE_LEASE : lease,
        routes: expectedRoutes,
      },
    };
  });

function leaseOf(s: Scenario): DhcpLease {
  const r = resolveLease({ port: s.port, subnet: s.subnet, network: s.network }, DEFAULTS);
  if (!r.ok) throw new Error(r.reason);
  return r.lease;
}

/** Decodes a reply frame, checking its IPv4 and UDP checksums. */
function decodeReply(frame: Buffer) {
  const d = decodeFrame(frame);
  expect(d.error).toBeUndefined();
  const ip = d.ipv4!;
  expect(verifyIpv4Checksum(frame.subarray(14))).toBe(true);
  expect(verifyUdpChecksum(ip.payload, { family: 'ipv4', src: ip.src, dst: ip.dst })).toBe(true);
  expect(d.udp).toMatchObject({ srcPort: 67, dstPort: 68 });
  return { eth: d.ethernet!, ip, dhcp: d.dhcp! };
}

function routeTexts(p: DhcpPacket) {
  return (dhcpOption(p, 'classlessStaticRoutes')?.value ?? []).map((r) => [
    `${r.destination}/${r.prefixLength}`,
    r.router,
  ]);
}

function checkConfiguration(p: DhcpPacket, s: Scenario, serverId: Ipv4Address, withLease: boolean) {
  const e = s.expect;
  const codes = p.options.map((o) => (o.kind === 'raw' ? o.code : o.kind));
  expect(new Set(codes).size).toBe(codes.length);
  expect(dhcpOption(p, 'serverId')?.value).toBe(serverId);
  expect(dhcpOption(p, 'subnetMask')?.value).toBe(e.mask);
  expect(dhcpOption(p, 'routers')?.value).toEqual(e.gateway ? [e.gateway] : undefined);
  expect(dhcpOption(p, 'dnsServers')?.value).toEqual(e.dns);
  expect(dhcpOption(p, 'domainName')?.value).toBe(e.domain);
  expect(dhcpOption(p, 'ntpServers')?.value).toEqual(e.ntp);
  expect(dhcpOption(p, 'mtu')?.value).toBe(e.mtu);
  expect(routeTexts(p)).toEqual(e.routes.map(([a, b]) => [a, b]));
  // 249 carries the same bytes as 121.
  const ms = p.options.find((o) => o.kind === 'raw' && o.code === 249);
  if (e.routes.length === 0) expect(ms).toBeUndefined();
  else if (ms?.kind === 'raw') {
    const as121 = parseDhcp(
      Buffer.concat([
        Buffer.alloc(236),
        Buffer.from([0x63, 0x82, 0x53, 0x63, 121, ms.data.length]),
        ms.data,
        Buffer.of(255),
      ])
        .fill(1, 1, 2)
        .fill(6, 2, 3),
    );
    expect(routeTexts(as121)).toEqual(e.routes.map(([a, b]) => [a, b]));
  } else throw new Error('option 249 missing');
  if (withLease) {
    expect(dhcpOption(p, 'leaseTime')?.value).toBe(e.leaseTime);
    if (e.leaseTime === INFINITE_LEASE) expect(dhcpOption(p, 'renewalTime')).toBeUndefined();
    else {
      const t1 = dhcpOption(p, 'renewalTime')!.value;
      const t2 = dhcpOption(p, 'rebindingTime')!.value;
      expect(t1).toBeLessThanOrEqual(t2);
      expect(t2).toBeLessThanOrEqual(e.leaseTime);
    }
  } else {
    expect(dhcpOption(p, 'leaseTime')).toBeUndefined();
  }
}

describe('dhcpserver reply builder', () => {
  it('DISCOVER -> OFFER and REQUEST -> ACK carry the lease, parse back, and go to the right place', () => {
    fc.assert(
      fc.property(scenario, fc.boolean(), fc.integer({ min: 0, max: 0xffffffff }), (s, bflag, xid) => {
        const lease = leaseOf(s);
        const serverId = s.expect.gateway ?? DEFAULTS.serverAddress;
        const offer = answerDhcp(
          decodeFrame(
            clientFrame({ type: DhcpMessageType.DISCOVER, mac: s.expect.mac, xid, broadcastFlag: bflag }),
          ),
          lease,
          SERVER,
        );
        if (offer.kind !== 'reply') throw new Error(offer.reason);
        const o = decodeReply(offer.frame);
        expect(o.dhcp).toMatchObject({ op: 2, xid, yiaddr: s.expect.address, chaddr: s.expect.mac });
        expect(o.dhcp.ciaddr).toBe(ZERO_IPV4);
        expect(dhcpOption(o.dhcp, 'messageType')?.value).toBe(DhcpMessageType.OFFER);
        expect(o.eth.src).toBe(SERVER.mac);
        expect(o.ip.src).toBe(serverId);
        expect(o.eth.dst).toBe(bflag ? BROADCAST_MAC : s.expect.mac);
        expect(o.ip.dst).toBe(bflag ? BROADCAST_IPV4 : s.expect.address);
        // Within what a client must accept (576-byte datagram).
        expect(o.ip.payload.length + 20).toBeLessThanOrEqual(576);
        checkConfiguration(o.dhcp, s, serverId, true);

        const ack = answerDhcp(
          decodeFrame(
            clientFrame({
              type: DhcpMessageType.REQUEST,
              mac: s.expect.mac,
              xid,
              broadcastFlag: bflag,
              requested: s.expect.address,
              serverId,
            }),
          ),
          lease,
          SERVER,
        );
        if (ack.kind !== 'reply') throw new Error(ack.reason);
        const a = decodeReply(ack.frame);
        expect(dhcpOption(a.dhcp, 'messageType')?.value).toBe(DhcpMessageType.ACK);
        expect(a.dhcp.yiaddr).toBe(s.expect.address);
        checkConfiguration(a.dhcp, s, serverId, true);

        // Renewal: unicast from the bound address, answered by unicast to it.
        const renew = answerDhcp(
          decodeFrame(
            clientFrame({
              type: DhcpMessageType.REQUEST,
              mac: s.expect.mac,
              xid,
              ciaddr: s.expect.address,
              ipDst: serverId,
            }),
          ),
          lease,
          SERVER,
        );
        if (renew.kind !== 'reply') throw new Error(renew.reason);
        const rn = decodeReply(renew.frame);
        expect(dhcpOption(rn.dhcp, 'messageType')?.value).toBe(DhcpMessageType.ACK);
        expect(rn.dhcp).toMatchObject({ ciaddr: s.expect.address, yiaddr: s.expect.address });
        expect(rn.ip.dst).toBe(s.expect.address);
        expect(rn.eth.dst).toBe(s.expect.mac);

        // INFORM: configuration without a lease.
        const inform = answerDhcp(
          decodeFrame(
            clientFrame({ type: DhcpMessageType.INFORM, mac: s.expect.mac, xid, ciaddr: s.expect.address }),
          ),
          lease,
          SERVER,
        );
        if (inform.kind !== 'reply') throw new Error(inform.reason);
        const inf = decodeReply(inform.frame);
        expect(inf.dhcp.yiaddr).toBe(ZERO_IPV4);
        checkConfiguration(inf.dhcp, s, serverId, false);
      }),
      { numRuns: 300 },
    );
  });

  it('a REQUEST for another address, or from another ciaddr, is NAKed by broadcast', () => {
    fc.assert(
      fc.property(scenario, ipv4, fc.boolean(), (s, other, viaCiaddr) => {
        fc.pre(other !== s.expect.address && other !== ZERO_IPV4);
        const lease = leaseOf(s);
        const a = answerDhcp(
          decodeFrame(
            clientFrame(
              viaCiaddr
                ? { type: DhcpMessageType.REQUEST, mac: s.expect.mac, ciaddr: other }
                : { type: DhcpMessageType.REQUEST, mac: s.expect.mac, requested: other },
            ),
          ),
          lease,
          SERVER,
        );
        if (a.kind !== 'reply') throw new Error(a.reason);
        const n = decodeReply(a.frame);
        expect(n.dhcp.options.map((o) => o.kind)).toEqual(['messageType', 'serverId']);
        expect(dhcpOption(n.dhcp, 'messageType')?.value).toBe(DhcpMessageType.NAK);
        expect(n.dhcp.yiaddr).toBe(ZERO_IPV4);
        expect(n.eth.dst).toBe(BROADCAST_MAC);
        expect(n.ip.dst).toBe(BROADCAST_IPV4);
      }),
      { numRuns: 100 },
    );
  });

  it('stays silent for RELEASE, DECLINE, another server, another client, relays and BOOTP', () => {
    const s = fc.sample(scenario, { numRuns: 1, seed: 7 })[0]!;
    const lease = leaseOf(s);
    const m = s.expect.mac;
    const silent = (frame: Buffer) => {
      const a = answerDhcp(decodeFrame(frame), lease, SERVER);
      expect(a.kind).toBe('none');
      return a.kind === 'none' ? a.reason : '';
    };
    expect(silent(clientFrame({ type: DhcpMessageType.RELEASE, mac: m, ciaddr: s.expect.address }))).toMatch(
      /RELEASE/,
    );
    expect(
      silent(clientFrame({ type: DhcpMessageType.DECLINE, mac: m, requested: s.expect.address })),
    ).toMatch(/DECLINE/);
    expect(
      silent(
        clientFrame({
          type: DhcpMessageType.REQUEST,
          mac: m,
          requested: s.expect.address,
          serverId: parseIpv4Address('203.0.113.9'),
        }),
      ),
    ).toMatch(/server 203.0.113.9/);
    expect(
      silent(clientFrame({ type: DhcpMessageType.DISCOVER, mac: parseMacAddress('02:99:99:99:99:99') })),
    ).toMatch(/DISCOVER for/);
    expect(
      silent(clientFrame({ type: DhcpMessageType.DISCOVER, mac: m, giaddr: parseIpv4Address('10.9.9.9') })),
    ).toMatch(/relayed/);
    expect(silent(clientFrame({ type: DhcpMessageType.OFFER, mac: m }))).toMatch(/message type 2/);
  });

  it('malformed and truncated frames give no answer and never throw', () => {
    const s = fc.sample(scenario, { numRuns: 1, seed: 3 })[0]!;
    const lease = leaseOf(s);
    const good = clientFrame({ type: DhcpMessageType.DISCOVER, mac: s.expect.mac });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)),
          fc.integer({ min: 0, max: good.length - 1 }).map((n) => good.subarray(0, n)),
          fc
            .array(fc.record({ at: fc.nat(good.length - 1), v: fc.integer({ min: 0, max: 255 }) }), {
              minLength: 1,
              maxLength: 8,
            })
            .map((edits) => {
              const b = Buffer.from(good);
              for (const { at, v } of edits) b[at] = v;
              return b;
            }),
        ),
        (frame) => {
          const a = answerDhcp(decodeFrame(frame), lease, SERVER);
          // A mutation may still be a valid DISCOVER; then the reply must decode.
          if (a.kind === 'reply') decodeReply(a.frame);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('leaves unrequested options out before requested ones when the reply would exceed 576 bytes', () => {
    const s = fc.sample(scenario, { numRuns: 1, seed: 11 })[0]!;
    const many = Array.from({ length: 50 }, (_, i) => ipv4FromNumber(0x0a000000 + i));
    const big = {
      ...s,
      subnet: {
        ...s.subnet,
        extra_dhcp_options: [
          [150, many],
          [151, many],
        ],
      },
    };
    const lease = leaseOf(big);
    const a = answerDhcp(
      decodeFrame(clientFrame({ type: DhcpMessageType.DISCOVER, mac: s.expect.mac, prl: [1, 3, 6, 151] })),
      lease,
      SERVER,
    );
    if (a.kind !== 'reply') throw new Error(a.reason);
    const r = decodeReply(a.frame);
    expect(r.ip.payload.length + 20).toBeLessThanOrEqual(576);
    const codes = r.dhcp.options.map((o) => (o.kind === 'raw' ? o.code : o.kind));
    expect(codes).toContain(151);
    expect(codes).not.toContain(150);
    expect(codes).toContain('subnetMask');
    expect(codes).toContain('leaseTime');
  });
});
