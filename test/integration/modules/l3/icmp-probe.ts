/**
 * What the ICMP-error tests of l3 send and read on a dummy OVS: the frames port A
 * (10.1.0.11) sends through its gateway, the ICMP destination-unreachable code of what comes
 * back, the `ofproto/trace` flow of such a frame, and the l3 module's counters.
 */
import { DEFAULT_GATEWAY_MAC } from '../../../../src/modules/arp-responder';
import {
  buildEthernet,
  buildIpv4Packet,
  decodeFrame,
  type Ipv4Address,
  type MacAddress,
} from '../../../../src/openflow/packet';

export const GW = DEFAULT_GATEWAY_MAC;
/** Port A: OVS port `pa`, logical port `lpa`, in 10.1.0.0/24 behind gateway 10.1.0.1. */
export const A = { port: 'pa', mac: '02:00:00:00:01:11' as MacAddress, ip: '10.1.0.11' as Ipv4Address };

/** An IPv4 packet from A to `dst`, addressed to the gateway MAC (TTL 64, don't fragment). */
export function frameFromA(dst: string, payload: Buffer, protocol: number, identification = 1): Buffer {
  const ip = buildIpv4Packet({
    dscp: 0,
    ecn: 0,
    identification,
    dontFragment: true,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: 64,
    protocol,
    src: A.ip,
    dst: dst as Ipv4Address,
    payload,
  });
  return buildEthernet({ dst: GW, src: A.mac, ethertype: 0x0800, payload: ip });
}

/** UDP 40000 → 33434 (what traceroute sends) with 12 bytes of data, from A to `dst`. */
export const udpFromA = (dst: string, identification = 1) =>
  frameFromA(dst, Buffer.from('9c409a7a0014000068656c6c6f2d766c63702d7473', 'hex'), 17, identification);

/** The `ofproto/trace` flow of `udpFromA(dst)`. */
export const udpTraceFromA = (dst: string) =>
  `in_port=${A.port},dl_src=${A.mac},dl_dst=${GW},ip,nw_src=${A.ip},nw_dst=${dst},nw_proto=17,nw_ttl=64`;

/** The code of an ICMP destination unreachable, or undefined for any other frame. */
export function unreachableCode(frame: Buffer): number | undefined {
  const icmp = decodeFrame(frame).icmp;
  return icmp?.kind === 'destination-unreachable' ? icmp.code : undefined;
}

/** `l3/stats`, the counters these tests read. */
export interface L3Stats {
  readonly hostUnreachable: number;
  readonly netUnreachable: number;
  readonly rateLimited: number;
  readonly ignored: number;
}
