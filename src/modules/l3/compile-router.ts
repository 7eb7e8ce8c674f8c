/**
 * The L3 flow compiler: a pure function from one virtual router's view to its flows in the
 * `l3input` and `l3router` tables (docs/l3.md). Every host compiles every router whose
 * networks it has ports in, so routed traffic is forwarded on the sending host (distributed
 * routing): the packet leaves `l3router` already addressed to its destination port, in the
 * destination network, and `l2output` delivers it locally or over VLAN/VXLAN.
 *
 * Between the two tables `metadata` names the router, not a network: `ROUTER_TAG | number`
 * (bit 63 set, so it never equals an nwid, which l2output alone matches on). Routing writes
 * the destination network's nwid back before `goto_table:l2output`.
 */
import { bits, move } from '../../openflow/nicira';
import { buildMatch, ETH_TYPE } from '../../openflow/oxm';
import { IcmpType } from '../../openflow/packet/icmp';
import { IpProtocol } from '../../openflow/packet/ip-protocol';
import type { Ipv4Address } from '../../openflow/packet/ipv4-address';
import { ipv4FromNumber } from '../../openflow/packet/ipv4-address';
import { ORIGINATED_IPV4_TTL } from '../../openflow/packet/ipv4-originated';
import type { MacAddress } from '../../openflow/packet/mac-address';
import type { Action } from '../../openflow/v13/action';
import { ControllerMaxLen, Port } from '../../openflow/v13/constants';
import type { Instruction } from '../../openflow/v13/instruction';
import { type Flow, type Flow13, flow13 } from '../flowsync';
import { type Prefix, prefixMask, type RoutedPort, type RouterView } from './router-view';

export interface L3Tables {
  readonly l3input: number;
  readonly l3router: number;
  readonly l2output: number;
}

/** Bit 63 of metadata: set between l3input and l3router, where metadata is a router number. */
export const ROUTER_TAG = 0x8000_0000_0000_0000n;
const ALL_ONES = 0xffff_ffff_ffff_ffffn;
/** Cookie bits 32-47 ("L3"); the low 32 bits are the router's number on this controller. */
export const L3_COOKIE_TAG = 0x4c33_0000_0000n;
/** TTL of the echo replies the switch builds: the same as the controller's own packets. */
export const REPLY_TTL = ORIGINATED_IPV4_TTL;

export const L3_PRIORITY = {
  /** l3input: IPv4 to the gateway MAC in an attached network. */
  toRouter: 100,
  /** l3input: anything else to the gateway MAC (IPv6, other ethertypes): dropped. */
  toRouterOther: 90,
  /** l3router: ICMP echo request to a router address, answered in the switch. */
  echo: 3000,
  /** l3router: anything else addressed to the router itself: dropped. */
  ownAddress: 2900,
  /** l3router: TTL 0 or 1: to the controller for ICMP time-exceeded. */
  ttl: 2000,
  /** l3router: routes, longest prefix first: base + 2 × length (+1 for connected). */
  routeBase: 1000,
  /** l3router: no route (the lowest): to the controller for ICMP net unreachable. */
  noRoute: 1,
} as const;

export class L3CompileError extends Error {
  override readonly name = 'L3CompileError';
  constructor(
    readonly routerId: string,
    detail: string,
  ) {
    super(`L3, virtual router ${routerId}: ${detail}`);
  }
}

export function l3Cookie(routerNo: number): bigint {
  return L3_COOKIE_TAG | (BigInt(routerNo) & 0xffff_ffffn);
}

export function routerMetadata(routerNo: number): bigint {
  return ROUTER_TAG | BigInt(routerNo);
}

/** The FlowSync owner of a router's flows on a datapath. */
export function l3Owner(routerId: string): string {
  return `l3:${routerId}`;
}

export function routePriority(prefix: Prefix, connected: boolean): number {
  return L3_PRIORITY.routeBase + 2 * prefix.length + (connected ? 1 : 0);
}

const apply = (actions: readonly Action[]): Instruction =>
  ({ type: 'apply_actions', actions }) as Instruction;
/** The whole packet to the controller (ICMP errors are built from it there). */
const toController = { type: 'output', port: Port.CONTROLLER, maxLen: ControllerMaxLen.NO_BUFFER } as Action;
const goto = (tableId: number): Instruction => ({ type: 'goto_table', tableId }) as Instruction;
const writeMetadata = (metadata: bigint): Instruction =>
  ({ type: 'write_metadata', metadata, metadataMask: ALL_ONES }) as Instruction;
const prefixMatch = (p: Prefix) => ({
  value: ipv4FromNumber(p.network),
  mask: ipv4FromNumber(prefixMask(p.length)),
});

/**
 * The echo reply built from the request in place: MACs and IPs swapped (the router address
 * as source), type 8 → 0. OVS fixes the IPv4 header checksum on the address sets and the
 * ICMP checksum on the type set (it adjusts it by the 16-bit difference of type/code).
 */
export function echoReplyActions(address: Ipv4Address, gatewayMac: MacAddress): Action[] {
  return [
    move(bits('nxm_of_eth_src'), bits('nxm_of_eth_dst')),
    { type: 'set_field', field: { field: 'eth_src', value: gatewayMac } } as Action,
    move(bits('nxm_of_ip_src'), bits('nxm_of_ip_dst')),
    { type: 'set_field', field: { field: 'ipv4_src', value: address } } as Action,
    { type: 'set_field', field: { field: 'icmpv4_type', value: IcmpType.ECHO_REPLY } } as Action,
    { type: 'set_nw_ttl', nwTtl: REPLY_TTL } as Action,
    { type: 'output', port: Port.IN_PORT, maxLen: 0 } as Action,
  ];
}

/** Forward to `to`: TTL − 1, the gateway as source MAC, the port's MAC, its network. */
function forwardTo(to: RoutedPort, gatewayMac: MacAddress, tables: L3Tables): Instruction[] {
  return [
    apply([
      { type: 'dec_nw_ttl' } as Action,
      { type: 'set_field', field: { field: 'eth_src', value: gatewayMac } } as Action,
      { type: 'set_field', field: { field: 'eth_dst', value: to.mac } } as Action,
    ]),
    writeMetadata(BigInt(to.nwid)),
    goto(tables.l2output),
  ];
}

type AddFlow = (table: number, priority: number, match: Flow13['match'], instructions: Instruction[]) => void;

/**
 * Every flow of one router on a datapath. With `cache` (the flows of this router's previous
 * compile, same number, tables and gateway MAC), only the parts that are new or changed — a
 * port, a subnet, a route, an address — are built again, and `cache` is left holding this
 * compile's parts: a one-port change in a router of a thousand ports builds one flow.
 */
export function compileRouter(
  view: RouterView,
  tables: L3Tables,
  gatewayMac: MacAddress,
  routerNo: number,
  cache?: Map<string, Flow<Flow13>[]>,
): Flow<Flow13>[] {
  if (!Number.isSafeInteger(routerNo) || routerNo < 0 || routerNo > 0xffff_ffff)
    throw new L3CompileError(view.id, `router number ${routerNo} is not a 32-bit unsigned integer`);
  const cookie = l3Cookie(routerNo);
  const tag = routerMetadata(routerNo);
  const out: Flow<Flow13>[] = [];
  const next = new Map<string, Flow<Flow13>[]>();
  /** The flows of one part of the router, from the cache when its key is there. */
  const part = (key: string, build: (add: AddFlow) => void) => {
    let flows = cache?.get(key);
    if (flows === undefined) {
      const built: Flow<Flow13>[] = [];
      build((table, priority, match, instructions) =>
        built.push(flow13({ table, priority, match, instructions, cookie })),
      );
      flows = built;
    }
    next.set(key, flows);
    for (const f of flows) out.push(f);
  };
  const done = () => {
    if (cache !== undefined) {
      cache.clear();
      for (const [k, v] of next) cache.set(k, v);
    }
    return out;
  };

  // l3input: once per attached network (two subnets of one network share the flows).
  const nwids = [...new Set(view.interfaces.map((i) => i.nwid))].sort((a, b) => a - b);
  for (const nwid of nwids) {
    part(`in/${nwid}`, (add) => {
      const metadata = BigInt(nwid);
      add(
        tables.l3input,
        L3_PRIORITY.toRouter,
        buildMatch({ metadata, eth_dst: gatewayMac, eth_type: ETH_TYPE.IPV4 }),
        [writeMetadata(tag), goto(tables.l3router)],
      );
      add(tables.l3input, L3_PRIORITY.toRouterOther, buildMatch({ metadata, eth_dst: gatewayMac }), []);
    });
  }
  if (view.interfaces.length === 0) return done();

  const metadata = tag;
  // The router's own addresses: echo answered, the rest dropped.
  const addresses = [...new Set(view.interfaces.map((i) => i.address))].sort();
  for (const address of addresses) {
    part(`addr/${address}`, (add) => {
      add(
        tables.l3router,
        L3_PRIORITY.echo,
        buildMatch({
          metadata,
          eth_type: ETH_TYPE.IPV4,
          ip_proto: IpProtocol.ICMP,
          ipv4_dst: address,
          icmpv4_type: IcmpType.ECHO_REQUEST,
        }),
        [apply(echoReplyActions(address, gatewayMac))],
      );
      add(
        tables.l3router,
        L3_PRIORITY.ownAddress,
        buildMatch({ metadata, eth_type: ETH_TYPE.IPV4, ipv4_dst: address }),
        [],
      );
    });
  }
  // TTL 0 or 1 cannot be forwarded: the controller answers time-exceeded.
  part('ttl', (add) => {
    for (const ttl of [0, 1]) {
      add(tables.l3router, L3_PRIORITY.ttl, buildMatch({ metadata, eth_type: ETH_TYPE.IPV4, nw_ttl: ttl }), [
        apply([toController]),
      ]);
    }
  });
  // Connected: every known port (a /32), the subnets' network and broadcast addresses (no
  // ICMP error for a broadcast, RFC 1812 4.3.2.7: dropped here rather than spend the
  // controller's tokens), then the subnet itself: an address no port holds goes to the
  // controller for ICMP host unreachable (where a real router's ARP would fail).
  const own = new Set<string>(addresses);
  const byIp = new Map<string, RoutedPort>();
  for (const p of view.ports) {
    if (byIp.has(p.ip) || own.has(p.ip)) continue;
    byIp.set(p.ip, p);
  }
  const hostPriority = routePriority({ network: 0, length: 32 }, true);
  for (const p of [...byIp.values()].sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0))) {
    part(`port/${p.ip}/${p.mac}/${p.nwid}`, (add) =>
      add(
        tables.l3router,
        hostPriority,
        buildMatch({ metadata, eth_type: ETH_TYPE.IPV4, ipv4_dst: p.ip }),
        forwardTo(p, gatewayMac, tables),
      ),
    );
  }
  // A port (or the router) holding such an address keeps its own flow at this priority.
  // Addresses ports hold but no single MAC answers for (pairs claimed with different MACs)
  // drop here too: those hosts exist, so no host unreachable for them.
  const broadcasts = new Set<Ipv4Address>(view.unroutable.filter((a) => !byIp.has(a) && !own.has(a)));
  for (const i of view.interfaces) {
    if (i.cidr.length >= 31) continue;
    const last = (i.cidr.network | ~prefixMask(i.cidr.length)) >>> 0;
    for (const n of [i.cidr.network, last]) {
      const a = ipv4FromNumber(n);
      if (!byIp.has(a) && !own.has(a)) broadcasts.add(a);
    }
  }
  for (const a of [...broadcasts].sort()) {
    part(`bcast/${a}`, (add) =>
      add(tables.l3router, hostPriority, buildMatch({ metadata, eth_type: ETH_TYPE.IPV4, ipv4_dst: a }), []),
    );
  }
  for (const i of view.interfaces) {
    part(`net/${i.cidr.network}/${i.cidr.length}`, (add) =>
      add(
        tables.l3router,
        routePriority(i.cidr, true),
        buildMatch({ metadata, eth_type: ETH_TYPE.IPV4, ipv4_dst: prefixMatch(i.cidr) }),
        [apply([toController])],
      ),
    );
  }
  // Static routes: to the next hop's port; a next hop no port holds (yet) drops.
  for (const r of view.routes) {
    const via = byIp.get(r.nexthop);
    part(
      `route/${r.prefix.network}/${r.prefix.length}/${via === undefined ? '-' : `${via.mac}/${via.nwid}`}`,
      (add) =>
        add(
          tables.l3router,
          routePriority(r.prefix, false),
          buildMatch({ metadata, eth_type: ETH_TYPE.IPV4, ipv4_dst: prefixMatch(r.prefix) }),
          via === undefined ? [] : forwardTo(via, gatewayMac, tables),
        ),
    );
  }
  // No attached subnet, no static route: the controller answers net unreachable (rate-limited
  // there; RFC 1812's exclusions are checked there too, one flow instead of one per case).
  part('default', (add) =>
    add(tables.l3router, L3_PRIORITY.noRoute, buildMatch({ metadata, eth_type: ETH_TYPE.IPV4 }), [
      apply([toController]),
    ]),
  );
  return done();
}
