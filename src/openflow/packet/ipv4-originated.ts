/**
 * The IPv4 header a controller gives the packets it originates (DHCP replies, ICMP errors):
 * no options, not fragmented, DSCP/ECN 0, identification 0 (RFC 6864: an atomic datagram
 * needs no unique id), TTL 64 unless said otherwise. One place, so every reply looks alike.
 */
import { buildIpv4Packet, type Ipv4Fields } from './ipv4';

/** TTL of packets the controller (or a switch on its behalf) originates; RFC 1700's default. */
export const ORIGINATED_IPV4_TTL = 64;

export type OriginatedIpv4Fields = Pick<Ipv4Fields, 'protocol' | 'src' | 'dst' | 'payload'> & {
  readonly ttl?: number;
};

/** An IPv4 packet with the controller's header defaults, checksum and length computed. */
export function buildOriginatedIpv4(p: OriginatedIpv4Fields): Buffer {
  return buildIpv4Packet({
    dscp: 0,
    ecn: 0,
    identification: 0,
    dontFragment: false,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: p.ttl ?? ORIGINATED_IPV4_TTL,
    protocol: p.protocol,
    src: p.src,
    dst: p.dst,
    payload: p.payload,
  });
}
