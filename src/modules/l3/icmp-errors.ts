/**
 * The ICMP errors a virtual router sends, built by the controller from the packet-in frame:
 * time-exceeded (RFC 792 type 11 code 0) for a packet whose TTL ran out; destination
 * unreachable, host (type 3 code 1) for an address of an attached subnet that no logical port
 * holds (where a real router's ARP would fail, RFC 1812 4.3.3.1); destination unreachable,
 * net (type 3 code 0) for one no attached subnet or static route covers. All go back to the
 * sender from the router's address on the sender's subnet (the gateway), with the gateway
 * MAC as source, quoting the original IP header and 8 bytes of its payload.
 *
 * RFC 1812 4.3.2.7: no error about an ICMP error, a non-first fragment, a packet to a
 * broadcast or multicast address (IP or link layer), or one whose source is not a single host.
 */
import {
  buildEthernet,
  buildIcmp,
  buildOriginatedIpv4,
  type DecodedFrame,
  EtherType,
  IcmpType,
  IcmpUnreachableCode,
  IpProtocol,
  type Ipv4Address,
  type Ipv4Packet,
  icmpErrorQuote,
  ipv4ToNumber,
  type MacAddress,
} from '../../openflow/packet';
import { inPrefix, type Prefix, prefixMask, type RouterView } from './router-view';

/** ICMP types that are error messages (RFC 792/1812): source quench, redirect, parameter problem too. */
const ICMP_ERROR_TYPES: ReadonlySet<number> = new Set([
  IcmpType.DESTINATION_UNREACHABLE,
  4,
  5,
  IcmpType.TIME_EXCEEDED,
  12,
]);

export type IcmpErrorKind = 'time-exceeded' | 'host-unreachable' | 'net-unreachable';

export type IcmpErrorAnswer =
  | {
      readonly kind: 'reply';
      readonly error: IcmpErrorKind;
      /** The Ethernet frame to send out of the packet's in_port. */
      readonly frame: Buffer;
      readonly from: Ipv4Address;
    }
  | { readonly kind: 'none'; readonly reason: string };

const none = (reason: string): IcmpErrorAnswer => ({ kind: 'none', reason });

/** The router address a reply to `sender` comes from: its subnet's, else the first. */
export function replyAddress(router: RouterView, sender: Ipv4Address): Ipv4Address | undefined {
  return (router.interfaces.find((i) => inPrefix(i.cidr, sender)) ?? router.interfaces[0])?.address;
}

/** 0.0.0.0/8, 127/8, multicast (224/4), class E and limited broadcast (240/4). */
function notASingleHost(ip: Ipv4Address): boolean {
  const first = ipv4ToNumber(ip) >>> 24;
  return first === 0 || first === 127 || first >= 224;
}

/**
 * Multicast, limited broadcast, or the all-ones or all-zeros host of an attached subnet (a
 * directed broadcast, and its obsolete form, RFC 1122 3.3.6); /31 and /32 have neither.
 */
function broadcastOrMulticast(router: RouterView, dst: Ipv4Address): boolean {
  const n = ipv4ToNumber(dst);
  if (n >>> 28 === 0xe || n === 0xffffffff) return true;
  return router.interfaces.some((i) => subnetBroadcast(i.cidr, n));
}

/** True when `n` is the network (all-zeros host) or broadcast (all-ones host) address of `p`. */
export function subnetBroadcast(p: Prefix, n: number): boolean {
  if (p.length >= 31 || (n & prefixMask(p.length)) >>> 0 !== p.network) return false;
  const host = (n & ~prefixMask(p.length)) >>> 0;
  return host === 0 || host === ~prefixMask(p.length) >>> 0;
}

/** Why RFC 1812 forbids an ICMP error about this packet, or undefined when one may be sent. */
export function whyNoIcmpError(decoded: DecodedFrame, router: RouterView): string | undefined {
  const { ethernet, ipv4 } = decoded;
  if (ethernet === undefined || ipv4 === undefined) return 'not IPv4';
  // Bit 0 of the first octet: a group (broadcast or multicast) Ethernet address.
  if ((Number.parseInt(ethernet.dst.slice(0, 2), 16) & 1) !== 0) return 'link-layer broadcast or multicast';
  if (ipv4.fragmentOffset !== 0) return 'not the first fragment';
  if (ipv4.protocol === IpProtocol.ICMP) {
    const type = ipv4.payload[0];
    if (type !== undefined && ICMP_ERROR_TYPES.has(type)) return 'no ICMP error about an ICMP error';
  }
  if (broadcastOrMulticast(router, ipv4.dst)) return `destination ${ipv4.dst} is broadcast or multicast`;
  if (notASingleHost(ipv4.src)) return `source ${ipv4.src} is not a single host`;
  return undefined;
}

/** The whole IP packet as sent (Ethernet padding cut off by total length). */
function ipPacketOf(ipv4: Ipv4Packet, ethernetPayload: Buffer): Buffer {
  const headerLength = 20 + ipv4.options.length;
  return ethernetPayload.subarray(0, headerLength + ipv4.payload.length);
}

/** The error frame, from the router's address on the sender's subnet to the sender. */
function buildError(
  decoded: DecodedFrame,
  router: RouterView,
  gatewayMac: MacAddress,
  error: IcmpErrorKind,
): IcmpErrorAnswer {
  const { ethernet, ipv4 } = decoded;
  if (ethernet === undefined || ipv4 === undefined) return none('not IPv4');
  const from = replyAddress(router, ipv4.src);
  if (from === undefined) return none('the router has no interfaces');
  const original = icmpErrorQuote(ipPacketOf(ipv4, ethernet.payload));
  const icmp = buildIcmp(
    error === 'time-exceeded'
      ? { kind: 'time-exceeded', code: 0, original }
      : {
          kind: 'destination-unreachable',
          code: error === 'host-unreachable' ? IcmpUnreachableCode.HOST : IcmpUnreachableCode.NET,
          nextHopMtu: 0,
          original,
        },
  );
  const ip = buildOriginatedIpv4({ protocol: IpProtocol.ICMP, src: from, dst: ipv4.src, payload: icmp });
  const frame = buildEthernet({ dst: ethernet.src, src: gatewayMac, ethertype: EtherType.IPV4, payload: ip });
  return { kind: 'reply', error, frame, from };
}

/**
 * What the router's view says about a destination, in the order its `l3router` flows decide
 * (docs/l3.md): its own address, a port's /32, then the longest prefix (a connected subnet
 * beats a static route of the same length).
 */
export type DestinationKind =
  /** One of the router's own addresses (answered or dropped in the switch). */
  | 'router'
  /** A logical port holds it (routed to the port). */
  | 'port'
  /** A static route is the longest match (routed to its next hop, or dropped). */
  | 'static-route'
  /** An attached subnet is the longest match and no port holds the address. */
  | 'unknown-host'
  /** Nothing covers it. */
  | 'no-route';

export function destinationKind(router: RouterView, dst: Ipv4Address): DestinationKind {
  if (router.interfaces.some((i) => i.address === dst)) return 'router';
  if (router.ports.some((p) => p.ip === dst) || router.unroutable.includes(dst)) return 'port';
  let connected = -1;
  for (const i of router.interfaces)
    if (inPrefix(i.cidr, dst)) connected = Math.max(connected, i.cidr.length);
  let staticRoute = -1;
  for (const r of router.routes)
    if (inPrefix(r.prefix, dst)) staticRoute = Math.max(staticRoute, r.prefix.length);
  if (connected < 0 && staticRoute < 0) return 'no-route';
  return connected >= staticRoute ? 'unknown-host' : 'static-route';
}

/** True when an attached subnet or a static route covers `dst`. */
export function hasRoute(router: RouterView, dst: Ipv4Address): boolean {
  return destinationKind(router, dst) !== 'no-route';
}

/** Time-exceeded for a packet with TTL 0 or 1. */
export function timeExceeded(
  decoded: DecodedFrame,
  router: RouterView,
  gatewayMac: MacAddress,
): IcmpErrorAnswer {
  const why = whyNoIcmpError(decoded, router);
  if (why !== undefined) return none(why);
  const ttl = decoded.ipv4!.ttl;
  if (ttl > 1) return none(`TTL ${ttl} has not run out`);
  return buildError(decoded, router, gatewayMac, 'time-exceeded');
}

/** Net unreachable for a packet no attached subnet or static route of the router covers. */
export function netUnreachable(
  decoded: DecodedFrame,
  router: RouterView,
  gatewayMac: MacAddress,
): IcmpErrorAnswer {
  const why = whyNoIcmpError(decoded, router);
  if (why !== undefined) return none(why);
  const dst = decoded.ipv4!.dst;
  // The flows may be a compile behind the view: never claim "unreachable" for a routed prefix.
  if (hasRoute(router, dst)) return none(`${dst} has a route`);
  return buildError(decoded, router, gatewayMac, 'net-unreachable');
}

/**
 * Host unreachable for a packet to an address of an attached subnet that no logical port
 * holds (the subnet is its longest match). The flows may be a compile behind the view: an
 * address a port, a static route or the router itself has gets nothing.
 */
export function hostUnreachable(
  decoded: DecodedFrame,
  router: RouterView,
  gatewayMac: MacAddress,
): IcmpErrorAnswer {
  const why = whyNoIcmpError(decoded, router);
  if (why !== undefined) return none(why);
  const dst = decoded.ipv4!.dst;
  const kind = destinationKind(router, dst);
  if (kind !== 'unknown-host') return none(`${dst} is not an unknown host of an attached subnet (${kind})`);
  return buildError(decoded, router, gatewayMac, 'host-unreachable');
}

/**
 * The error for a packet the router's `l3router` flows sent here: the TTL flows (priority
 * 2000) take every TTL 0/1 packet before any route, so a live TTL means an attached subnet's
 * flow (no port holds the address) or the no-route flow.
 */
export function icmpErrorFor(
  decoded: DecodedFrame,
  router: RouterView,
  gatewayMac: MacAddress,
): IcmpErrorAnswer {
  const ttl = decoded.ipv4?.ttl;
  if (ttl === undefined) return none('not IPv4');
  if (ttl <= 1) return timeExceeded(decoded, router, gatewayMac);
  const dst = decoded.ipv4!.dst;
  return destinationKind(router, dst) === 'unknown-host'
    ? hostUnreachable(decoded, router, gatewayMac)
    : netUnreachable(decoded, router, gatewayMac);
}
