/**
 * The l3 compiler as a pure function, evaluated against packets: routing between attached
 * subnets (TTL, MACs, destination network), the echo responder, TTL expiry to the
 * controller, unknown hosts of an attached subnet (host unreachable) and no route (net
 * unreachable) to the controller, a subnet's network and broadcast addresses dropped, static
 * routes longest prefix first, isolation from unattached networks; and a fast-check property
 * against a reference longest-prefix-match router (and the controller's own
 * `destinationKind`).
 */
import fc from 'fast-check';
import {
  compileRouter,
  L3CompileError,
  type L3Tables,
  l3Cookie,
  parsePrefix,
  ROUTER_TAG,
  type RouterView,
} from '../../../../src/modules/l3';
import { destinationKind } from '../../../../src/modules/l3/icmp-errors';
import type { Ipv4Address } from '../../../../src/openflow/packet/ipv4-address';
import type { MacAddress } from '../../../../src/openflow/packet/mac-address';
import { evaluateL3, type L3Packet } from './evaluate-l3';

const T: L3Tables = { l3input: 4, l3router: 5, l2output: 6 };
const GW = '02:56:4c:00:00:01' as MacAddress;
const ip = (s: string) => s as Ipv4Address;
const mac = (s: string) => s as MacAddress;

const VIEW: RouterView = {
  id: 'r1',
  interfaces: [
    { subnetId: 'viperflow.subnet.sa', nwid: 1, cidr: parsePrefix('10.1.0.0/24')!, address: ip('10.1.0.1') },
    {
      subnetId: 'viperflow.subnet.sb',
      nwid: 2,
      cidr: parsePrefix('10.2.0.0/24')!,
      address: ip('10.2.0.254'),
    },
  ],
  ports: [
    { ip: ip('10.1.0.11'), mac: mac('02:00:00:00:01:11'), nwid: 1 },
    { ip: ip('10.2.0.12'), mac: mac('02:00:00:00:02:12'), nwid: 2 },
    { ip: ip('10.2.0.5'), mac: mac('02:00:00:00:02:05'), nwid: 2 },
    { ip: ip('10.2.0.6'), mac: mac('02:00:00:00:02:06'), nwid: 2 },
  ],
  routes: [
    { prefix: parsePrefix('192.168.0.0/16')!, nexthop: ip('10.2.0.5') },
    { prefix: parsePrefix('192.168.7.0/24')!, nexthop: ip('10.2.0.6') },
    { prefix: parsePrefix('172.16.0.0/12')!, nexthop: ip('10.2.0.99') },
  ],
  unroutable: [],
  logicalPorts: ['a', 'b', 'c', 'd'],
};

const flows = compileRouter(VIEW, T, GW, 7);

const fromA = (dst: string, extra: Partial<L3Packet> = {}): L3Packet => ({
  in_port: 3,
  metadata: 1n,
  eth_src: '02:00:00:00:01:11',
  eth_dst: GW,
  eth_type: 0x0800,
  ipv4_src: '10.1.0.11',
  ipv4_dst: dst,
  ip_proto: 6,
  nw_ttl: 64,
  ...extra,
});

describe('l3 compiler', () => {
  it('routes to a port of another attached subnet: TTL-1, gateway MAC as source, its MAC, its network', () => {
    const r = evaluateL3(flows, T, fromA('10.2.0.12'));
    expect(r.kind).toBe('l2output');
    if (r.kind !== 'l2output') return;
    expect(r.packet).toMatchObject({
      metadata: 2n,
      eth_src: GW,
      eth_dst: '02:00:00:00:02:12',
      nw_ttl: 63,
      ipv4_src: '10.1.0.11',
      ipv4_dst: '10.2.0.12',
      in_port: 3,
    });
  });

  it('leaves frames not addressed to the gateway MAC, and networks not attached, to l2', () => {
    const notGw = fromA('10.2.0.12', { eth_dst: '02:00:00:00:01:99' });
    expect(evaluateL3(flows, T, notGw)).toEqual({ kind: 'l2output', packet: notGw });
    const other = fromA('10.2.0.12', { metadata: 3n });
    expect(evaluateL3(flows, T, other)).toEqual({ kind: 'l2output', packet: other });
  });

  it('drops non-IPv4 to the gateway MAC; unknown hosts of attached subnets and no route go to the controller', () => {
    expect(evaluateL3(flows, T, { ...fromA('10.2.0.12'), eth_type: 0x86dd })).toEqual({
      kind: 'drop',
      table: 4,
    });
    // An address of an attached subnet no port holds: the controller answers host unreachable.
    const unknown = evaluateL3(flows, T, fromA('10.2.0.77'));
    expect(unknown.kind).toBe('controller');
    if (unknown.kind === 'controller')
      expect(unknown.packet).toMatchObject({ metadata: ROUTER_TAG | 7n, nw_ttl: 64 });
    // No subnet, no route: the controller answers net unreachable (the lowest l3router flow).
    const unrouted = evaluateL3(flows, T, fromA('8.8.8.8'));
    expect(unrouted.kind).toBe('controller');
    if (unrouted.kind === 'controller') expect(unrouted.packet.metadata).toBe(ROUTER_TAG | 7n);
    // A static route whose next hop no port holds drops.
    expect(evaluateL3(flows, T, fromA('172.16.1.1')).kind).toBe('drop');
  });

  it('drops a subnet’s network and broadcast addresses in the switch (no ICMP error for a broadcast)', () => {
    for (const dst of ['10.1.0.0', '10.1.0.255', '10.2.0.0', '10.2.0.255'])
      expect(evaluateL3(flows, T, fromA(dst))).toEqual({ kind: 'drop', table: 5 });
    const drops = flows.filter(
      (f) => f.table === 5 && f.priority === 1065 && f.value.instructions.length === 0,
    );
    expect(drops).toHaveLength(4);
    // A port holding such an address keeps its flow; a /31 has no network or broadcast address.
    const odd: RouterView = {
      ...VIEW,
      interfaces: [
        ...VIEW.interfaces,
        { subnetId: 's31', nwid: 3, cidr: parsePrefix('10.9.0.0/31')!, address: ip('10.9.0.0') },
      ],
      ports: [...VIEW.ports, { ip: ip('10.2.0.255'), mac: mac('02:00:00:00:02:ff'), nwid: 2 }],
    };
    const oddFlows = compileRouter(odd, T, GW, 7);
    expect(evaluateL3(oddFlows, T, fromA('10.2.0.255'))).toMatchObject({
      kind: 'l2output',
      packet: { eth_dst: '02:00:00:00:02:ff' },
    });
    expect(evaluateL3(oddFlows, T, fromA('10.9.0.1')).kind).toBe('controller');
    expect(evaluateL3(oddFlows, T, fromA('10.2.0.0')).kind).toBe('drop');
  });

  it('drops an address ports hold but no single MAC answers for (no host unreachable for it)', () => {
    const held: RouterView = { ...VIEW, unroutable: [ip('10.2.0.101'), ip('10.2.0.12')] };
    const heldFlows = compileRouter(held, T, GW, 7);
    expect(evaluateL3(heldFlows, T, fromA('10.2.0.101'))).toEqual({ kind: 'drop', table: 5 });
    expect(destinationKind(held, ip('10.2.0.101'))).toBe('port');
    // A port that owns an address keeps its route even if a pair also names it.
    expect(evaluateL3(heldFlows, T, fromA('10.2.0.12')).kind).toBe('l2output');
    expect(evaluateL3(heldFlows, T, fromA('10.2.0.102')).kind).toBe('controller');
  });

  it('answers echo requests to any router address in the switch, back out of the in_port', () => {
    for (const addr of ['10.1.0.1', '10.2.0.254']) {
      const r = evaluateL3(flows, T, fromA(addr, { ip_proto: 1, icmpv4_type: 8, nw_ttl: 1 }));
      expect(r).toEqual({
        kind: 'output',
        port: 3,
        packet: expect.objectContaining({
          eth_src: GW,
          eth_dst: '02:00:00:00:01:11',
          ipv4_src: addr,
          ipv4_dst: '10.1.0.11',
          icmpv4_type: 0,
          nw_ttl: 64,
        }),
      });
    }
    // Other traffic to the router itself is dropped.
    expect(evaluateL3(flows, T, fromA('10.1.0.1')).kind).toBe('drop');
  });

  it('sends TTL 0 and 1 to the controller, with the router number in metadata', () => {
    for (const ttl of [0, 1]) {
      const r = evaluateL3(flows, T, fromA('10.2.0.12', { nw_ttl: ttl }));
      expect(r.kind).toBe('controller');
      if (r.kind === 'controller') expect(r.packet.metadata).toBe(ROUTER_TAG | 7n);
    }
    expect(evaluateL3(flows, T, fromA('10.2.0.12', { nw_ttl: 2 })).kind).toBe('l2output');
  });

  it('static routes: longest prefix first, to the next hop port', () => {
    const viaWide = evaluateL3(flows, T, fromA('192.168.1.1'));
    expect(viaWide).toMatchObject({
      kind: 'l2output',
      packet: { eth_dst: '02:00:00:00:02:05', metadata: 2n },
    });
    const viaNarrow = evaluateL3(flows, T, fromA('192.168.7.9'));
    expect(viaNarrow).toMatchObject({
      kind: 'l2output',
      packet: { eth_dst: '02:00:00:00:02:06', metadata: 2n },
    });
  });

  it('a router without interfaces has no flows in l3input and nothing routes', () => {
    const empty = compileRouter({ ...VIEW, interfaces: [], ports: [], routes: [] }, T, GW, 7);
    expect(empty).toEqual([]);
  });

  it('names the router in cookies, and refuses a router number that does not fit', () => {
    expect(new Set(flows.map((f) => f.cookie))).toEqual(new Set([0x564c_0000_0000_0000n | l3Cookie(7)]));
    expect(() => compileRouter(VIEW, T, GW, -1)).toThrow(L3CompileError);
    expect(() => compileRouter(VIEW, T, GW, 2 ** 33)).toThrow(/virtual router r1: router number/);
  });

  it('with a cache, a one-port change builds one flow and reuses every other flow object', () => {
    const cache = new Map<string, ReturnType<typeof compileRouter>>();
    const first = compileRouter(VIEW, T, GW, 7, cache);
    expect(first.map((f) => f.body)).toEqual(flows.map((f) => f.body));
    const moved = {
      ...VIEW,
      ports: [...VIEW.ports, { ip: ip('10.1.0.40'), mac: mac('02:00:00:00:01:40'), nwid: 1 }],
    };
    const second = compileRouter(moved, T, GW, 7, cache);
    const reused = second.filter((f) => first.includes(f));
    expect(second.length - reused.length).toBe(1);
    expect(reused).toHaveLength(first.length);
    // The same flows as compiling from scratch.
    const key = (f: (typeof flows)[number]) => `${f.table}/${f.priority}/${f.match}/${f.body}`;
    expect(second.map(key).sort()).toEqual(compileRouter(moved, T, GW, 7).map(key).sort());
    // A removed port leaves the cache.
    const third = compileRouter(VIEW, T, GW, 7, cache);
    expect(third.map(key).sort()).toEqual(first.map(key).sort());
    expect([...cache.keys()].some((k) => k.includes('10.1.0.40'))).toBe(false);
  });

  it('property: forwarding equals a reference longest-prefix-match router', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const addr = fc.oneof(
      fc.tuple(fc.constantFrom(10), fc.constantFrom(1, 2, 3), fc.constantFrom(0), octet),
      fc.tuple(fc.constantFrom(192), fc.constantFrom(168), fc.constantFrom(0, 7, 8), octet),
      fc.tuple(octet, octet, octet, octet),
    );
    const prefixes = fc.uniqueArray(
      fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 })),
      {
        maxLength: 6,
        selector: ([n, l]) => `${l === 0 ? 0 : (n & ((0xffffffff << (32 - l)) >>> 0)) >>> 0}/${l}`,
      },
    );
    const hops = ['10.2.0.5', '10.2.0.6', '10.1.0.11', '10.2.0.99'];
    fc.assert(
      fc.property(
        addr,
        prefixes,
        fc.array(fc.nat(3), { maxLength: 6 }),
        fc.integer({ min: 0, max: 3 }),
        (a, ps, hopIdx, ttl) => {
          const dst = a.join('.');
          const routes = ps.map(([n, l], i) => ({
            prefix: { network: l === 0 ? 0 : (n & ((0xffffffff << (32 - l)) >>> 0)) >>> 0, length: l },
            nexthop: ip(hops[hopIdx[i] ?? 0]!),
          }));
          const view = { ...VIEW, routes };
          const r = evaluateL3(compileRouter(view, T, GW, 1), T, fromA(dst, { nw_ttl: ttl }));
          const want = reference(view, dst, ttl);
          expect(
            r.kind === 'l2output' ? `to ${r.packet.eth_dst}/${r.packet.metadata}/${r.packet.nw_ttl}` : r.kind,
          ).toBe(want);
          // The controller's own view agrees: a live TTL reaches it exactly for an unknown host
          // of an attached subnet or a destination nothing covers (never for a broadcast).
          if (ttl > 1 && !isSubnetBroadcast(view, dst)) {
            const kind = destinationKind(view, ip(dst));
            expect(r.kind === 'controller').toBe(kind === 'unknown-host' || kind === 'no-route');
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** What a textbook router does with a TCP packet from network 1 to `dst`. */
function reference(view: RouterView, dst: string, ttl: number): string {
  const n = dst.split('.').reduce((x, o) => x * 256 + Number(o), 0);
  const inP = (p: { network: number; length: number }) =>
    (p.length === 0 ? 0 : (n & ((0xffffffff << (32 - p.length)) >>> 0)) >>> 0) === p.network;
  if (view.interfaces.some((i) => i.address === dst)) return 'drop';
  if (ttl <= 1) return 'controller';
  const port = view.ports.find((p) => p.ip === dst);
  if (port !== undefined) return `to ${port.mac}/${port.nwid}/${ttl - 1}`;
  // Connected subnets beat static routes of the same length.
  const candidates = [
    ...view.interfaces.map((i) => ({
      len: i.cidr.length * 2 + 1,
      hop: undefined as string | undefined,
      ok: inP(i.cidr),
    })),
    ...view.routes.map((r) => ({
      len: r.prefix.length * 2,
      hop: r.nexthop as string | undefined,
      ok: inP(r.prefix),
    })),
  ].filter((c) => c.ok);
  if (candidates.length === 0) return 'controller';
  // A subnet's network or broadcast address: no ICMP error, dropped.
  if (isSubnetBroadcast(view, dst)) return 'drop';
  const best = candidates.reduce((a, b) => (b.len > a.len ? b : a));
  // Connected, no port holds it: the controller answers host unreachable.
  if (best.hop === undefined) return 'controller';
  const via = view.ports.find((p) => p.ip === best.hop);
  return via === undefined ? 'drop' : `to ${via.mac}/${via.nwid}/${ttl - 1}`;
}

/** The all-zeros or all-ones host of an attached subnet shorter than /31. */
function isSubnetBroadcast(view: RouterView, dst: string): boolean {
  const n = dst.split('.').reduce((x, o) => x * 256 + Number(o), 0);
  return view.interfaces.some((i) => {
    if (i.cidr.length >= 31) return false;
    const size = 2 ** (32 - i.cidr.length);
    return n === i.cidr.network || n === i.cidr.network + size - 1;
  });
}
