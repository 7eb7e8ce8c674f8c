/**
 * The time-exceeded reply the controller builds: addressed back to the sender from the
 * router's address on its subnet, valid checksums, the original header and 8 bytes quoted;
 * none for ICMP errors, non-first fragments or a live TTL.
 */
import { parsePrefix, type RouterView, timeExceeded } from '../../../../src/modules/l3';
import {
  buildEthernet,
  buildIcmp,
  buildIpv4Packet,
  decodeFrame,
  type Ipv4Address,
  type MacAddress,
  verifyIcmpChecksum,
  verifyIpv4Checksum,
} from '../../../../src/openflow/packet';

const GW = '02:56:4c:00:00:01' as MacAddress;
const ROUTER: RouterView = {
  id: 'r1',
  interfaces: [
    { subnetId: 's1', nwid: 1, cidr: parsePrefix('10.1.0.0/24')!, address: '10.1.0.1' as Ipv4Address },
    { subnetId: 's2', nwid: 2, cidr: parsePrefix('10.2.0.0/24')!, address: '10.2.0.1' as Ipv4Address },
  ],
  ports: [],
  routes: [],
  logicalPorts: [],
};

function frame(src: string, ttl: number, payload: Buffer, protocol = 17, fragmentOffset = 0): Buffer {
  const ip = buildIpv4Packet({
    dscp: 0,
    ecn: 0,
    identification: 0x1234,
    dontFragment: false,
    moreFragments: false,
    fragmentOffset,
    ttl,
    protocol,
    src: src as Ipv4Address,
    dst: '10.2.0.12' as Ipv4Address,
    payload,
  });
  return buildEthernet({ dst: GW, src: '02:00:00:00:01:11' as MacAddress, ethertype: 0x0800, payload: ip });
}

describe('time-exceeded', () => {
  it('answers the sender from the router address on its subnet, quoting header + 8 bytes', () => {
    const original = frame('10.2.0.77', 1, Buffer.from('0123456789abcdefghij'));
    const r = timeExceeded(decodeFrame(original), ROUTER, GW);
    expect(r.kind).toBe('reply');
    if (r.kind !== 'reply') return;
    expect(r.from).toBe('10.2.0.1');
    const d = decodeFrame(r.frame);
    expect(d.ethernet).toMatchObject({ src: GW, dst: '02:00:00:00:01:11' });
    expect(d.ipv4).toMatchObject({ src: '10.2.0.1', dst: '10.2.0.77', protocol: 1, ttl: 64 });
    expect(verifyIpv4Checksum(r.frame.subarray(14, 34))).toBe(true);
    expect(verifyIcmpChecksum(d.ipv4!.payload)).toBe(true);
    expect(d.icmp).toMatchObject({ kind: 'time-exceeded', code: 0 });
    const quote = d.icmp!.kind === 'time-exceeded' ? Buffer.from(d.icmp!.original) : Buffer.alloc(0);
    expect(quote).toEqual(original.subarray(14, 14 + 28));
  });

  it('a sender outside every attached subnet gets it from the first interface', () => {
    const r = timeExceeded(decodeFrame(frame('192.168.1.1', 0, Buffer.alloc(8))), ROUTER, GW);
    expect(r).toMatchObject({ kind: 'reply', from: '10.1.0.1' });
  });

  it('none for an ICMP error, a later fragment or a TTL that has not run out', () => {
    const err = buildIcmp({
      kind: 'destination-unreachable',
      code: 1,
      nextHopMtu: 0,
      original: Buffer.alloc(28),
    });
    expect(timeExceeded(decodeFrame(frame('10.1.0.11', 1, err, 1)), ROUTER, GW).kind).toBe('none');
    expect(timeExceeded(decodeFrame(frame('10.1.0.11', 1, Buffer.alloc(8), 17, 10)), ROUTER, GW).kind).toBe(
      'none',
    );
    expect(timeExceeded(decodeFrame(frame('10.1.0.11', 5, Buffer.alloc(8))), ROUTER, GW)).toMatchObject({
      kind: 'none',
      reason: 'TTL 5 has not run out',
    });
    const echo = buildIcmp({
      kind: 'echo-request',
      code: 0,
      identifier: 1,
      sequence: 1,
      data: Buffer.alloc(8),
    });
    expect(timeExceeded(decodeFrame(frame('10.1.0.11', 1, echo, 1)), ROUTER, GW).kind).toBe('reply');
  });
});
