/** Client-side DHCP frames as a real client sends them (dhclient's shape), for the tests. */
import {
  BootpOp,
  BROADCAST_IPV4,
  BROADCAST_MAC,
  buildDhcp,
  buildEthernet,
  buildIpv4Packet,
  buildUdp,
  DHCP_BROADCAST_FLAG,
  type DhcpOption,
  EtherType,
  IpProtocol,
  type Ipv4Address,
  type MacAddress,
  ZERO_IPV4,
} from '../../../../src/openflow/packet';

export interface ClientMessage {
  readonly type: number;
  readonly mac: MacAddress;
  readonly xid?: number;
  readonly broadcastFlag?: boolean;
  readonly ciaddr?: Ipv4Address;
  readonly giaddr?: Ipv4Address;
  readonly requested?: Ipv4Address;
  readonly serverId?: Ipv4Address;
  /** Parameter request list; dhclient's by default. */
  readonly prl?: readonly number[];
  /** IPv4 destination (unicast for a renewal). */
  readonly ipDst?: Ipv4Address;
  readonly ethDst?: MacAddress;
}

/** What Debian's dhclient asks for. */
export const DHCLIENT_PRL = [1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42];

export function clientFrame(m: ClientMessage): Buffer {
  const options: DhcpOption[] = [{ kind: 'messageType', value: m.type }];
  if (m.requested) options.push({ kind: 'requestedAddress', value: m.requested });
  if (m.serverId) options.push({ kind: 'serverId', value: m.serverId });
  options.push({ kind: 'parameterRequestList', value: m.prl ?? DHCLIENT_PRL });
  const dhcp = buildDhcp({
    op: BootpOp.REQUEST,
    hops: 0,
    xid: m.xid ?? 0x1234abcd,
    secs: 0,
    flags: m.broadcastFlag ? DHCP_BROADCAST_FLAG : 0,
    ciaddr: m.ciaddr ?? ZERO_IPV4,
    yiaddr: ZERO_IPV4,
    siaddr: ZERO_IPV4,
    giaddr: m.giaddr ?? ZERO_IPV4,
    chaddr: m.mac,
    sname: '',
    file: '',
    options,
  });
  const src = m.ciaddr ?? ZERO_IPV4;
  const dst = m.ipDst ?? BROADCAST_IPV4;
  const udp = buildUdp({ srcPort: 68, dstPort: 67, payload: dhcp }, { family: 'ipv4', src, dst });
  const ip = buildIpv4Packet({
    dscp: 0,
    ecn: 0,
    identification: 1,
    dontFragment: false,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: 64,
    protocol: IpProtocol.UDP,
    src,
    dst,
    payload: udp,
  });
  return buildEthernet({
    dst: m.ethDst ?? BROADCAST_MAC,
    src: m.mac,
    ethertype: EtherType.IPV4,
    payload: ip,
  });
}
