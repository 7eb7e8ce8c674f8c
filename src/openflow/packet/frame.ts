import { type ArpPacket, parseArp } from './arp';
import { DHCP_CLIENT_PORT, DHCP_SERVER_PORT, type DhcpPacket, parseDhcp } from './dhcp';
import { PacketError } from './errors';
import { type EthernetFrame, EtherType, parseEthernet } from './ethernet';
import { type ParsedIcmp, parseIcmp } from './icmp';
import { type ParsedIcmpv6, parseIcmpv6 } from './icmpv6';
import { IpProtocol } from './ip-protocol';
import { type Ipv4Packet, parseIpv4Packet } from './ipv4';
import { type Ipv6Packet, parseIpv6Packet } from './ipv6';
import { parseTcp, type TcpSegment } from './tcp';
import { parseUdp, type UdpDatagram } from './udp';

/** Every layer of a frame that could be decoded, outermost first. */
export interface DecodedFrame {
  readonly ethernet?: EthernetFrame;
  readonly arp?: ArpPacket;
  readonly ipv4?: Ipv4Packet;
  readonly ipv6?: Ipv6Packet;
  readonly icmp?: ParsedIcmp;
  readonly icmpv6?: ParsedIcmpv6;
  readonly udp?: UdpDatagram;
  readonly tcp?: TcpSegment;
  /** Set for UDP between ports 67 and 68 that parses as DHCP. */
  readonly dhcp?: DhcpPacket;
  /** Why decoding stopped early; the layers before it are still set. */
  readonly error?: PacketError;
}

/**
 * Decodes a frame as deep as it goes (packet-in handling): a bad inner layer does not throw,
 * it ends the walk and is reported in `error`. IPv4 fragments after the first are not
 * decoded past IP.
 */
export function decodeFrame(buf: Buffer): DecodedFrame {
  const out: {
    -readonly [K in keyof DecodedFrame]: DecodedFrame[K];
  } = {};
  try {
    const eth = parseEthernet(buf);
    out.ethernet = eth;
    let protocol: number;
    let l4: Buffer;
    if (eth.ethertype === EtherType.ARP) {
      out.arp = parseArp(eth.payload);
      return out;
    }
    if (eth.ethertype === EtherType.IPV4) {
      const ip = parseIpv4Packet(eth.payload);
      out.ipv4 = ip;
      if (ip.fragmentOffset !== 0) return out;
      protocol = ip.protocol;
      l4 = ip.payload;
    } else if (eth.ethertype === EtherType.IPV6) {
      const ip = parseIpv6Packet(eth.payload);
      out.ipv6 = ip;
      protocol = ip.upperProtocol;
      l4 = ip.upperPayload;
    } else {
      return out;
    }
    if (protocol === IpProtocol.ICMP && out.ipv4) out.icmp = parseIcmp(l4);
    else if (protocol === IpProtocol.ICMPV6 && out.ipv6) out.icmpv6 = parseIcmpv6(l4);
    else if (protocol === IpProtocol.TCP) out.tcp = parseTcp(l4);
    else if (protocol === IpProtocol.UDP) {
      const udp = parseUdp(l4);
      out.udp = udp;
      const ports = [udp.srcPort, udp.dstPort];
      if (out.ipv4 && ports.includes(DHCP_SERVER_PORT) && ports.includes(DHCP_CLIENT_PORT))
        out.dhcp = parseDhcp(udp.payload);
    }
  } catch (e) {
    if (!(e instanceof PacketError)) throw e;
    out.error = e;
  }
  return out;
}
