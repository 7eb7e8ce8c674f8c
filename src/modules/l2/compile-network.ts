/**
 * The l2 flow compiler: a pure function from one logical network's view on one datapath to
 * the flows of the ingress, portsecurity and l2output tables (docs/pipeline.md). Flows are
 * grouped so that a one-port change rebuilds only that port's few flows and the network's
 * flood flow; everything else comes from the CompileCache unchanged.
 */
import { buildMatch, ETH_TYPE, OFPVID_PRESENT } from '../../openflow/oxm';
import { type Ipv4Address, prefixToNetmask } from '../../openflow/packet/ipv4-address';
import type { MacAddress } from '../../openflow/packet/mac-address';
import type { Action } from '../../openflow/v13/action';
import type { Instruction } from '../../openflow/v13/instruction';
import { type Flow, type Flow13, flow13 } from '../flowsync';
import { CompileCache } from './compile-cache';
import type { L2Tables, LocalLogicalPort, NetworkView, RemoteLogicalPort } from './network-view';

/** Bits 32-47 of the owner part of an l2 cookie ("L2"); the low 32 bits are the nwid. */
export const L2_COOKIE_TAG = 0x4c32_0000_0000n;

export function l2Cookie(nwid: number): bigint {
  return L2_COOKIE_TAG | (BigInt(nwid) & 0xffff_ffffn);
}

/** The FlowSync owner of a network's l2 flows (one per datapath and network). */
export function l2Owner(nwid: number): string {
  return `l2:${nwid}`;
}

export const PRIORITY = {
  /** ingress: a known port (and VLAN tag). */
  ingress: 100,
  /** portsecurity: what the port may send. */
  portsecurity: 100,
  /** portsecurity: what its allowed address pairs add (below its own, so nothing collides). */
  addressPair: 90,
  /** l2output: a known destination MAC. */
  unicast: 100,
  /** l2output: the MAC of an allowed address pair (a port's own MAC wins). */
  pairUnicast: 90,
  /** l2output: everything else in the network (broadcast, multicast, unknown unicast). */
  flood: 10,
} as const;

const DHCP_CLIENT_PORT = 68;
const DHCP_SERVER_PORT = 67;
const ANY_IP = '0.0.0.0' as Ipv4Address;
const ALL_ONES = 0xffff_ffff_ffff_ffffn;

const output = (port: number): Action => ({ type: 'output', port, maxLen: 0 }) as Action;
const apply = (actions: readonly Action[]): Instruction =>
  ({ type: 'apply_actions', actions }) as Instruction;
const goto = (tableId: number): Instruction => ({ type: 'goto_table', tableId }) as Instruction;
const writeMetadata = (nwid: number): Instruction =>
  ({ type: 'write_metadata', metadata: BigInt(nwid), metadataMask: ALL_ONES }) as Instruction;

/** The actions that send a packet through the VXLAN port to one remote VTEP. */
function toVtep(view: NetworkView, uplink: number, vtep: Ipv4Address): Action[] {
  return [
    { type: 'set_field', field: { field: 'tun_dst', value: vtep } } as Action,
    { type: 'set_field', field: { field: 'tunnel_id', value: BigInt(view.vni ?? 0) } } as Action,
    output(uplink),
  ];
}

/** The actions that put a packet on the physical network through `uplink`. */
function toUplink(view: NetworkView, uplink: number): Action[] {
  if (view.type === 'vlan' && view.vlanid !== undefined) {
    return [
      { type: 'push_vlan', ethertype: ETH_TYPE.VLAN } as Action,
      { type: 'set_field', field: { field: 'vlan_vid', value: view.vlanid | OFPVID_PRESENT } } as Action,
      output(uplink),
    ];
  }
  return [output(uplink)];
}

/** The MACs of a port's allowed address pairs other than its own, sorted, each once. */
export function foreignPairMacs(p: LocalLogicalPort): MacAddress[] {
  const macs = new Set<MacAddress>();
  for (const pair of p.pairs ?? []) if (pair.mac !== undefined && pair.mac !== p.mac) macs.add(pair.mac);
  return [...macs].sort();
}

/**
 * The ingress flow of one bound logical port, its port-security flows (its allowed address
 * pairs included) and its unicast flows: its own MAC, and each foreign pair MAC not in
 * `shared` (a MAC several local ports claim gets one flow to all of them, from the network).
 */
export function localPortFlows(
  view: NetworkView,
  tables: L2Tables,
  p: LocalLogicalPort,
  shared: ReadonlySet<MacAddress> = new Set(),
): Flow<Flow13>[] {
  const cookie = l2Cookie(view.nwid);
  const out: Flow<Flow13>[] = [
    flow13({
      table: tables.ingress,
      priority: PRIORITY.ingress,
      match: buildMatch({ in_port: p.portNo }),
      instructions: [writeMetadata(view.nwid), goto(tables.portsecurity)],
      cookie,
    }),
    flow13({
      table: tables.l2output,
      priority: PRIORITY.unicast,
      match: buildMatch({ metadata: BigInt(view.nwid), eth_dst: p.mac }),
      instructions: [apply([output(p.portNo)])],
      cookie,
    }),
  ];
  const pass = (
    match: Parameters<typeof buildMatch>[0],
    src = p.mac,
    priority: number = PRIORITY.portsecurity,
  ) =>
    flow13({
      table: tables.portsecurity,
      priority,
      match: buildMatch({ in_port: p.portNo, eth_src: src, ...match }),
      instructions: [goto(tables.arp)],
      cookie,
    });
  if (p.ip === undefined) {
    // No address assigned yet: only the MAC is checked.
    out.push(pass({ eth_type: ETH_TYPE.IPV4 }), pass({ eth_type: ETH_TYPE.ARP, arp_sha: p.mac }));
  } else {
    out.push(
      pass({ eth_type: ETH_TYPE.IPV4, ipv4_src: p.ip }),
      pass({ eth_type: ETH_TYPE.ARP, arp_sha: p.mac, arp_spa: p.ip }),
      // ARP probes (RFC 5227) and DHCP come from a port that does not know its address yet.
      pass({ eth_type: ETH_TYPE.ARP, arp_sha: p.mac, arp_spa: ANY_IP }),
      pass({ ip_proto: 17, udp_src: DHCP_CLIENT_PORT, udp_dst: DHCP_SERVER_PORT }),
    );
  }
  // Allowed address pairs: IPv4 and ARP from the pair's prefix with the pair's MAC.
  const seen = new Set<string>();
  for (const pair of p.pairs ?? []) {
    const src = pair.mac ?? p.mac;
    const key = `${src}/${pair.prefix}/${pair.length}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const spa = { value: pair.prefix, mask: prefixToNetmask(pair.length) };
    out.push(
      pass({ eth_type: ETH_TYPE.IPV4, ipv4_src: spa }, src, PRIORITY.addressPair),
      pass({ eth_type: ETH_TYPE.ARP, arp_sha: src, arp_spa: spa }, src, PRIORITY.addressPair),
    );
  }
  for (const m of foreignPairMacs(p)) {
    if (!shared.has(m)) out.push(pairUnicastFlow(view, tables, m, [p.portNo]));
  }
  return out;
}

/** Frames to an allowed address pair's MAC go to the port(s) claiming it. */
export function pairUnicastFlow(
  view: NetworkView,
  tables: L2Tables,
  mac: MacAddress,
  portNos: readonly number[],
): Flow<Flow13> {
  return flow13({
    table: tables.l2output,
    priority: PRIORITY.pairUnicast,
    match: buildMatch({ metadata: BigInt(view.nwid), eth_dst: mac }),
    instructions: [apply([...portNos].sort((a, b) => a - b).map(output))],
    cookie: l2Cookie(view.nwid),
  });
}

/** A port of the network elsewhere: its MAC leaves through the physical port (or tunnel). */
export function remotePortFlows(
  view: NetworkView,
  tables: L2Tables,
  uplink: number,
  p: RemoteLogicalPort,
): Flow<Flow13>[] {
  if (view.type === 'vxlan') {
    // Where it is not known (no VTEP yet), the flood's head-end replication reaches it.
    if (p.vtep === undefined || view.vni === undefined) return [];
    return [
      flow13({
        table: tables.l2output,
        priority: PRIORITY.unicast,
        match: buildMatch({ metadata: BigInt(view.nwid), eth_dst: p.mac }),
        instructions: [apply(toVtep(view, uplink, p.vtep))],
        cookie: l2Cookie(view.nwid),
      }),
    ];
  }
  return [
    flow13({
      table: tables.l2output,
      priority: PRIORITY.unicast,
      match: buildMatch({ metadata: BigInt(view.nwid), eth_dst: p.mac }),
      instructions: [apply(toUplink(view, uplink))],
      cookie: l2Cookie(view.nwid),
    }),
  ];
}

/** The uplink's ingress flow: packets of this network arriving from the physical network. */
export function uplinkIngressFlows(view: NetworkView, tables: L2Tables, uplink: number): Flow<Flow13>[] {
  const cookie = l2Cookie(view.nwid);
  if (view.type === 'vlan') {
    if (view.vlanid === undefined) return [];
    return [
      flow13({
        table: tables.ingress,
        priority: PRIORITY.ingress,
        match: buildMatch({ in_port: uplink, vlan_vid: view.vlanid | OFPVID_PRESENT }),
        instructions: [apply([{ type: 'pop_vlan' } as Action]), writeMetadata(view.nwid), goto(tables.arp)],
        cookie,
      }),
    ];
  }
  if (view.type === 'native') {
    return [
      flow13({
        table: tables.ingress,
        priority: PRIORITY.ingress,
        // Untagged frames only: a tagged frame belongs to no native network.
        match: buildMatch({ in_port: uplink, vlan_vid: 0 }),
        instructions: [writeMetadata(view.nwid), goto(tables.arp)],
        cookie,
      }),
    ];
  }
  if (view.vni === undefined) return [];
  return [
    flow13({
      table: tables.ingress,
      priority: PRIORITY.ingress,
      match: buildMatch({ in_port: uplink, tunnel_id: BigInt(view.vni) }),
      instructions: [writeMetadata(view.nwid), goto(tables.arp)],
      cookie,
    }),
  ];
}

/**
 * Broadcast, multicast and unknown unicast: every local port of the network and the
 * physical port. The packet's own in_port is in the list too: OpenFlow `output` never sends
 * a packet back out of its ingress port (only the IN_PORT pseudo-port does), so one flood
 * flow serves every sender.
 */
export function floodFlow(view: NetworkView, tables: L2Tables): Flow<Flow13> {
  const ports = [...view.localPorts.values()].map((p) => p.portNo).sort((a, b) => a - b);
  const actions: Action[] = ports.map(output);
  // The uplink goes last: a VLAN tag pushed for it must not reach the local ports.
  if (view.uplink !== undefined && view.type !== 'vxlan') actions.push(...toUplink(view, view.uplink));
  // VXLAN: one copy per remote host (head-end replication). A packet that came in from the
  // tunnel is not sent back into it: output to its in_port is dropped (split horizon).
  if (view.uplink !== undefined && view.type === 'vxlan') {
    for (const vtep of view.floodVteps ?? []) actions.push(...toVtep(view, view.uplink, vtep));
  }
  return flow13({
    table: tables.l2output,
    priority: PRIORITY.flood,
    match: buildMatch({ metadata: BigInt(view.nwid) }),
    instructions: [apply(actions)],
    cookie: l2Cookie(view.nwid),
  });
}

/**
 * Every l2 flow of one network on one datapath. Without local ports (a network only routed
 * to from a local one) that is the unicast flows to its ports elsewhere: routed packets
 * leave l3router already addressed to a port, and nothing enters or floods the network here.
 */
export function compileNetwork(
  view: NetworkView,
  tables: L2Tables,
  cache: CompileCache = new CompileCache(),
): Flow<Flow13>[] {
  const netSig = `${view.nwid}/${tables.ingress}/${tables.portsecurity}/${tables.arp}/${tables.l2output}`;
  const out: Flow<Flow13>[] = [];
  if (view.localPorts.size === 0) {
    const uplink = view.uplink;
    if (uplink === undefined) return out;
    const remoteSig = `${netSig}/${view.type}/${view.vlanid}/${view.vni}/${uplink}`;
    for (const p of view.remotePorts.values()) {
      out.push(...cache.get(p, remoteSig, () => remotePortFlows(view, tables, uplink, p)));
    }
    return out;
  }
  // Foreign pair MACs claimed by more than one local port (VRRP-style shared addresses).
  const claims = new Map<MacAddress, number[]>();
  for (const p of view.localPorts.values()) {
    if (p.pairs === undefined) continue;
    for (const m of foreignPairMacs(p)) claims.set(m, [...(claims.get(m) ?? []), p.portNo]);
  }
  const shared = new Set([...claims].filter(([, ports]) => ports.length > 1).map(([m]) => m));
  for (const p of view.localPorts.values()) {
    const mine = p.pairs === undefined ? [] : foreignPairMacs(p).filter((m) => shared.has(m));
    // The signature changes only for a port whose pair MAC became (or stopped being) shared.
    const sig = mine.length === 0 ? netSig : `${netSig}/shared:${mine.join(',')}`;
    out.push(...cache.get(p, sig, () => localPortFlows(view, tables, p, new Set(mine))));
  }
  for (const m of [...shared].sort()) out.push(pairUnicastFlow(view, tables, m, claims.get(m)!));
  const uplink = view.uplink;
  if (uplink !== undefined) {
    const remoteSig = `${netSig}/${view.type}/${view.vlanid}/${view.vni}/${uplink}`;
    for (const p of view.remotePorts.values()) {
      out.push(...cache.get(p, remoteSig, () => remotePortFlows(view, tables, uplink, p)));
    }
    out.push(...uplinkIngressFlows(view, tables, uplink));
  }
  out.push(floodFlow(view, tables));
  return out;
}
