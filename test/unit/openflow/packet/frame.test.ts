import fc from 'fast-check';
import {
  buildDhcp,
  buildEthernet,
  buildIcmp,
  buildIpv4Packet,
  buildUdp,
  decodeFrame,
  EtherType,
  IpProtocol,
  PacketError,
  parseIpv4Address,
  parseMacAddress,
} from '../../../../src/openflow/packet';
import { sampleDhcp } from './samples';

const ip = parseIpv4Address;
const ipv4 = (protocol: number, payload: Buffer, src = ip('0.0.0.0'), dst = ip('255.255.255.255')) =>
  buildIpv4Packet({
    dscp: 0,
    ecn: 0,
    identification: 0,
    dontFragment: false,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: 64,
    protocol,
    src,
    dst,
    payload,
  });

const client = parseMacAddress('02:00:00:00:00:01');
const discover = buildEthernet({
  dst: parseMacAddress('ff:ff:ff:ff:ff:ff'),
  src: client,
  vlan: { pcp: 0, dei: false, vid: 100 },
  ethertype: EtherType.IPV4,
  payload: ipv4(
    IpProtocol.UDP,
    buildUdp(
      {
        srcPort: 68,
        dstPort: 67,
        payload: buildDhcp(
          sampleDhcp({
            xid: 42,
            flags: 0x8000,
            chaddr: client,
            options: [{ kind: 'messageType', value: 1 }],
          }),
        ),
      },
      { family: 'ipv4', src: ip('0.0.0.0'), dst: ip('255.255.255.255') },
    ),
  ),
});

describe('decodeFrame', () => {
  it('walks Ethernet/VLAN -> IPv4 -> UDP -> DHCP', () => {
    const f = decodeFrame(discover);
    expect(f.error).toBeUndefined();
    expect(f.ethernet?.vlan?.vid).toBe(100);
    expect(f.udp?.dstPort).toBe(67);
    expect(f.dhcp?.xid).toBe(42);
    expect(f.dhcp?.chaddr).toBe(client);
  });

  it('decodes ICMP echo', () => {
    const frame = buildEthernet({
      dst: client,
      src: client,
      ethertype: EtherType.IPV4,
      payload: ipv4(
        IpProtocol.ICMP,
        buildIcmp({ kind: 'echo-request', code: 0, identifier: 7, sequence: 1, data: Buffer.from('abc') }),
      ),
    });
    expect(decodeFrame(frame).icmp).toMatchObject({ kind: 'echo-request', identifier: 7, sequence: 1 });
  });

  it('keeps the outer layers and reports where an inner one broke', () => {
    const cut = discover.subarray(0, 18 + 20 + 8 + 100);
    const f = decodeFrame(cut);
    expect(f.ethernet).toBeDefined();
    expect(f.dhcp).toBeUndefined();
    expect(f.error).toBeInstanceOf(PacketError);
    expect(f.error?.protocol).toBe('ipv4');
  });

  it('never throws on mutated frames', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.nat(),
        (flips, cut) => {
          const b = Buffer.from(discover);
          for (const [at, v] of flips) b[at % b.length] = v;
          decodeFrame(b.subarray(0, cut % (b.length + 1)));
        },
      ),
      { numRuns: 10000 },
    );
  });
});
