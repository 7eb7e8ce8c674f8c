/**
 * The DHCP server's decision for one client message, as a pure function: the request (the
 * decoded frame a packet-in carried) and the port's lease in, the reply frame (or why there
 * is none) out. RFC 2131 section 4.3 for what to answer, 4.1 for where to send it.
 */
import {
  BootpOp,
  BROADCAST_IPV4,
  BROADCAST_MAC,
  buildDhcp,
  buildEthernet,
  buildOriginatedIpv4,
  buildUdp,
  type DecodedFrame,
  DHCP_BROADCAST_FLAG,
  DHCP_CLIENT_PORT,
  DHCP_SERVER_PORT,
  DhcpMessageType,
  type DhcpOption,
  type DhcpPacket,
  dhcpOption,
  EtherType,
  IpProtocol,
  type Ipv4Address,
  type MacAddress,
  ZERO_IPV4,
} from '../../openflow/packet';
import { type DhcpLease, INFINITE_LEASE } from './lease';
import { encodedSize } from './option-size';

export type DhcpAnswer =
  | {
      readonly kind: 'reply';
      readonly messageType: number;
      /** The Ethernet frame to send out of the client's port. */
      readonly frame: Buffer;
      readonly reply: DhcpPacket;
    }
  | { readonly kind: 'none'; readonly reason: string };

export interface ServerIdentity {
  readonly mac: MacAddress;
}

/** RFC 2131's minimum a client must accept: a 576-byte IP datagram. */
const MIN_MAX_MESSAGE = 576;
/** VLCP's ceiling, below common MTUs even over a tunnel. */
const MAX_MAX_MESSAGE = 1400;
const IP_UDP_HEADERS = 28;
const MAX_MESSAGE_SIZE_OPTION = 57;

const none = (reason: string): DhcpAnswer => ({ kind: 'none', reason });

/** What the client may receive: option 57 if it sent one, within [576, 1400]. */
function maxMessage(req: DhcpPacket): number {
  const o = req.options.find((x) => x.kind === 'raw' && x.code === MAX_MESSAGE_SIZE_OPTION);
  const n = o?.kind === 'raw' && o.data.length === 2 ? (o.data[0]! << 8) | o.data[1]! : 0;
  return Math.min(Math.max(n, MIN_MAX_MESSAGE), MAX_MAX_MESSAGE);
}

/**
 * The options of an OFFER/ACK: message type and server id, the essentials (mask, lease
 * times), what the client asked for (parameter request list order), then the rest; options
 * that do not fit the client's maximum message size are left out, unrequested ones first.
 */
export function replyOptions(
  req: DhcpPacket,
  lease: DhcpLease,
  messageType: number,
  withLease: boolean,
): DhcpOption[] {
  const all = new Map<number, DhcpOption>(lease.options);
  if (withLease && !all.has(51)) {
    all.set(51, { kind: 'leaseTime', value: lease.leaseTime });
    if (lease.leaseTime !== INFINITE_LEASE) {
      // RFC 2131 4.4.5 defaults: renew at half the lease, rebind at seven eighths.
      all.set(58, { kind: 'renewalTime', value: Math.floor(lease.leaseTime / 2) });
      all.set(59, { kind: 'rebindingTime', value: Math.floor((lease.leaseTime * 7) / 8) });
    }
  }
  if (!withLease) for (const c of [51, 58, 59]) all.delete(c);
  all.delete(53);
  all.delete(54);
  const requested = dhcpOption(req, 'parameterRequestList')?.value ?? [];
  const essential = new Set([1, 51, 58, 59]);
  const ordered: { o: DhcpOption; keep: number }[] = [];
  const seen = new Set<number>();
  for (const c of [...essential, ...requested, ...all.keys()]) {
    const o = all.get(c);
    if (o === undefined || seen.has(c)) continue;
    seen.add(c);
    ordered.push({ o, keep: essential.has(c) ? 2 : requested.includes(c) ? 1 : 0 });
  }
  // 240 header + cookie, 3 message type, 6 server id, 1 end.
  let budget = maxMessage(req) - IP_UDP_HEADERS - 240 - 3 - 6 - 1;
  const kept = new Set<DhcpOption>();
  for (const rank of [2, 1, 0]) {
    for (const { o, keep } of ordered) {
      if (keep !== rank) continue;
      const size = encodedSize(o);
      if (size <= budget) {
        kept.add(o);
        budget -= size;
      }
    }
  }
  return [
    { kind: 'messageType', value: messageType },
    { kind: 'serverId', value: lease.serverId },
    ...ordered.filter(({ o }) => kept.has(o)).map(({ o }) => o),
  ];
}

interface ReplySpec {
  readonly messageType: number;
  readonly ciaddr: Ipv4Address;
  readonly yiaddr: Ipv4Address;
  readonly options: readonly DhcpOption[];
}

function frameOf(
  req: DhcpPacket,
  clientMac: MacAddress,
  lease: DhcpLease,
  server: ServerIdentity,
  spec: ReplySpec,
) {
  const reply: DhcpPacket = {
    op: BootpOp.REPLY,
    hops: 0,
    xid: req.xid,
    secs: 0,
    flags: req.flags,
    ciaddr: spec.ciaddr,
    yiaddr: spec.yiaddr,
    siaddr: ZERO_IPV4,
    giaddr: ZERO_IPV4,
    chaddr: req.chaddr,
    sname: '',
    file: '',
    options: spec.options,
  };
  // RFC 2131 4.1: NAKs and clients that ask for it get broadcast; a client with an address
  // (renewing, INFORM) gets unicast to it; otherwise unicast to the offered address, which
  // reaches the client because the frame goes straight out of its port to its MAC.
  let ipDst: Ipv4Address;
  let ethDst: MacAddress;
  if (spec.messageType === DhcpMessageType.NAK || (req.flags & DHCP_BROADCAST_FLAG) !== 0) {
    ipDst = BROADCAST_IPV4;
    ethDst = BROADCAST_MAC;
  } else if (req.ciaddr !== ZERO_IPV4) {
    ipDst = req.ciaddr;
    ethDst = clientMac;
  } else {
    ipDst = spec.yiaddr;
    ethDst = clientMac;
  }
  const udp = buildUdp(
    { srcPort: DHCP_SERVER_PORT, dstPort: DHCP_CLIENT_PORT, payload: buildDhcp(reply) },
    { family: 'ipv4', src: lease.serverId, dst: ipDst },
  );
  const ip = buildOriginatedIpv4({ protocol: IpProtocol.UDP, src: lease.serverId, dst: ipDst, payload: udp });
  const frame = buildEthernet({ dst: ethDst, src: server.mac, ethertype: EtherType.IPV4, payload: ip });
  return { kind: 'reply' as const, messageType: spec.messageType, frame, reply };
}

/** The answer to a decoded client frame from the port whose lease is `lease`. */
export function answerDhcp(decoded: DecodedFrame, lease: DhcpLease, server: ServerIdentity): DhcpAnswer {
  if (decoded.error) return none(`malformed packet: ${decoded.error.message}`);
  const req = decoded.dhcp;
  const eth = decoded.ethernet;
  if (req === undefined || eth === undefined || decoded.udp?.dstPort !== DHCP_SERVER_PORT)
    return none('not a DHCP message to a server');
  if (req.op !== BootpOp.REQUEST) return none(`BOOTP op ${req.op} is not a request`);
  if (req.giaddr !== ZERO_IPV4) return none(`relayed message (giaddr ${req.giaddr}) is not served`);
  const type = dhcpOption(req, 'messageType')?.value;
  if (type === undefined) return none('no DHCP message type (plain BOOTP is not served)');
  const ours = req.chaddr === lease.mac;
  const nak = () =>
    frameOf(req, eth.src, lease, server, {
      messageType: DhcpMessageType.NAK,
      ciaddr: ZERO_IPV4,
      yiaddr: ZERO_IPV4,
      options: [
        { kind: 'messageType', value: DhcpMessageType.NAK },
        { kind: 'serverId', value: lease.serverId },
      ],
    });
  switch (type) {
    case DhcpMessageType.DISCOVER:
      if (!ours) return none(`DISCOVER for ${req.chaddr}, not the port's ${lease.mac}`);
      return frameOf(req, eth.src, lease, server, {
        messageType: DhcpMessageType.OFFER,
        ciaddr: ZERO_IPV4,
        yiaddr: lease.address,
        options: replyOptions(req, lease, DhcpMessageType.OFFER, true),
      });
    case DhcpMessageType.REQUEST: {
      const sid = dhcpOption(req, 'serverId')?.value;
      // SELECTING another server's offer: not ours to answer.
      if (sid !== undefined && sid !== lease.serverId) return none(`REQUEST for server ${sid}`);
      const asked =
        dhcpOption(req, 'requestedAddress')?.value ?? (req.ciaddr !== ZERO_IPV4 ? req.ciaddr : undefined);
      if (!ours || asked !== lease.address || (req.ciaddr !== ZERO_IPV4 && req.ciaddr !== lease.address))
        return nak();
      return frameOf(req, eth.src, lease, server, {
        messageType: DhcpMessageType.ACK,
        ciaddr: req.ciaddr,
        yiaddr: lease.address,
        options: replyOptions(req, lease, DhcpMessageType.ACK, true),
      });
    }
    case DhcpMessageType.INFORM:
      if (req.ciaddr === ZERO_IPV4) return none('INFORM without ciaddr');
      return frameOf(req, eth.src, lease, server, {
        messageType: DhcpMessageType.ACK,
        ciaddr: req.ciaddr,
        yiaddr: ZERO_IPV4,
        options: replyOptions(req, lease, DhcpMessageType.ACK, false),
      });
    case DhcpMessageType.RELEASE:
      return none("RELEASE: the address stays the port's, nothing to do");
    case DhcpMessageType.DECLINE:
      return none(`DECLINE: the client reports ${lease.address} in use by another host`);
    default:
      return none(`message type ${type} is not one a client sends to a server`);
  }
}
