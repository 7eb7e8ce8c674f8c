/**
 * The ICMP errors a virtual router sends, built by the controller from the packet-in frame:
 * time-exceeded (RFC 792 type 11 code 0) for a packet whose TTL ran out, and destination
 * unreachable, net (type 3 code 0) for one no attached subnet or static route covers. Both go
 * back to the sender from the router's address on the sender's subnet (the gateway), with
 * the gateway MAC as source, quoting the original IP header and 8 bytes of its payload.
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
import { inPrefix, type RouterView } from './router-view';

/** ICMP types that are error messages (RFC 792/1812): source quench, redirect, parameter problem too. */
const ICMP_ERROR_TYPES: ReadonlySet<number> = new Set([
  IcmpType.DESTINATION_UNREACHABLE,
  4,
  5,
  IcmpType.TIME_EXCEEDED,
  12,
]);

export type IcmpErrorKind = 'time-exceeded' | 'net-unreachable';

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

/** Multicast, limited broadcast, or the all-ones host of an attached subnet (directed broadcast). */
function broadcastOrMulticast(router: RouterView, dst: Ipv4Address): boolean {
  const n = ipv4ToNumber(dst);
  if (n >>> 28 === 0xe || n === 0xffffffff) return true;
  return router.interfaces.some(
    (i) =>
      i.cidr.length < 31 &&
      inPrefix(i.cidr, dst) &&
      (n | ~((0xffffffff << (32 - i.cidr.length)) >>> 0)) >>> 0 === n,
  );
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
      : { kind: 'destination-unreachable', code: IcmpUnreachableCode.NET, nextHopMtu: 0, original },
  );
  const ip = buildOriginatedIpv4({ protocol: IpProtocol.ICMP, src: from, dst: ipv4.src, payload: icmp });
  const frame = buildEthernet({ dst: ethernet.src, src: gatewayMac, ethertype: EtherType.IPV4, payload: ip });
  return { kind: 'reply', error, frame, from };
}

/** True when an attached subnet or a static route covers `dst`. */
export function hasRoute(router: RouterView, dst: Ipv4Address): boolean {
  return (
    router.interfaces.some((i) => inPrefix(i.cidr, dst)) || router.routes.some((r) => inPrefix(r.prefix, dst))
  );
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
 * The error for a packet the router's `l3router` flows sent here: the TTL flows (priority
 * 2000) take every TTL 0/1 packet before any route, so a live TTL means the no-route flow.
 */
export function icmpErrorFor(
  decoded: DecodedFrame,
  router: RouterView,
  gatewayMac: MacAddress,
): IcmpErrorAnswer {
  const ttl = decoded.ipv4?.ttl;
  if (ttl === undefined) return none('not IPv4');
  return ttl <= 1 ? timeExceeded(decoded, router, gatewayMac) : netUnreachable(decoded, router, gatewayMac);
}
