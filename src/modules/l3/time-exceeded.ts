/**
 * ICMP time-exceeded (RFC 792 type 11, code 0) for a packet a router cannot forward because
 * its TTL ran out, built by the controller from the packet-in frame: sent back to the
 * sender from the router's address on the sender's subnet, with the gateway MAC as source.
 * No error answers an ICMP error (RFC 1812 4.3.2.7), nor a non-first fragment.
 */
import {
  buildEthernet,
  buildIcmp,
  buildIpv4Packet,
  type DecodedFrame,
  EtherType,
  IcmpType,
  IpProtocol,
  type Ipv4Address,
  icmpErrorQuote,
  type MacAddress,
} from '../../openflow/packet';
import { REPLY_TTL } from './compile-router';
import { inPrefix, type RouterView } from './router-view';

const ICMP_ERRORS: ReadonlySet<number> = new Set([
  IcmpType.DESTINATION_UNREACHABLE,
  IcmpType.TIME_EXCEEDED,
  4, // source quench
  5, // redirect
  12, // parameter problem
]);

export type TimeExceeded =
  | { readonly kind: 'reply'; readonly frame: Buffer; readonly from: Ipv4Address }
  | { readonly kind: 'none'; readonly reason: string };

/** The router address a reply to `sender` comes from: its subnet's, else the first. */
export function replyAddress(router: RouterView, sender: Ipv4Address): Ipv4Address | undefined {
  return (router.interfaces.find((i) => inPrefix(i.cidr, sender)) ?? router.interfaces[0])?.address;
}

export function timeExceeded(
  decoded: DecodedFrame,
  router: RouterView,
  gatewayMac: MacAddress,
): TimeExceeded {
  const { ethernet, ipv4 } = decoded;
  if (ethernet === undefined || ipv4 === undefined) return { kind: 'none', reason: 'not IPv4' };
  if (ipv4.fragmentOffset !== 0) return { kind: 'none', reason: 'not the first fragment' };
  if (decoded.icmp !== undefined) {
    const type = decoded.icmp.kind === 'other' ? decoded.icmp.type : undefined;
    if (
      decoded.icmp.kind === 'destination-unreachable' ||
      decoded.icmp.kind === 'time-exceeded' ||
      (type !== undefined && ICMP_ERRORS.has(type))
    )
      return { kind: 'none', reason: 'no ICMP error about an ICMP error' };
  }
  if (ipv4.ttl > 1) return { kind: 'none', reason: `TTL ${ipv4.ttl} has not run out` };
  const from = replyAddress(router, ipv4.src);
  if (from === undefined) return { kind: 'none', reason: 'the router has no interfaces' };
  const icmp = buildIcmp({ kind: 'time-exceeded', code: 0, original: icmpErrorQuote(ethernet.payload) });
  const ip = buildIpv4Packet({
    dscp: 0,
    ecn: 0,
    identification: 0,
    dontFragment: false,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: REPLY_TTL,
    protocol: IpProtocol.ICMP,
    src: from,
    dst: ipv4.src,
    payload: icmp,
  });
  const frame = buildEthernet({ dst: ethernet.src, src: gatewayMac, ethertype: EtherType.IPV4, payload: ip });
  return { kind: 'reply', frame, from };
}
