import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import {
  buildIpv4Packet,
  buildTcp,
  buildUdp,
  internetChecksum,
  type PseudoHeader,
  parseIpv4Address,
  verifyIpv4Checksum,
  verifyTcpChecksum,
  verifyUdpChecksum,
} from '../../../../src/openflow/packet';
import { bytes, ipv4, u16 } from './arbitraries';

/**
 * A second opinion: Python computes the RFC 1071 checksum of each hex string independently
 * (its own code, not ours), together with the IPv4 pseudo-header for UDP.
 */
const PY = `
import sys, json, ipaddress
def csum(b):
    if len(b) % 2: b += b'\\0'
    s = sum(int.from_bytes(b[i:i+2], 'big') for i in range(0, len(b), 2))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff
out = []
for case in json.load(sys.stdin):
    seg = bytearray.fromhex(case['hex'])
    if 'src' in case:
        seg[6:8] = b'\\0\\0'
        ph = ipaddress.IPv4Address(case['src']).packed + ipaddress.IPv4Address(case['dst']).packed + bytes([0, 17]) + len(seg).to_bytes(2, 'big')
        c = csum(ph + bytes(seg))
        out.append(0xffff if c == 0 else c)
    else:
        out.append(csum(bytes(seg)))
print(json.dumps(out))
`;

function python(cases: readonly object[]): number[] {
  const r = spawnSync('python3', ['-c', PY], { input: JSON.stringify(cases), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as number[];
}

describe('internet checksum', () => {
  it('matches the classic IPv4 header example (checksum 0xb861)', () => {
    const header = Buffer.from('450000730000400040110000c0a80001c0a800c7', 'hex');
    expect(internetChecksum(header)).toBe(0xb861);
    header.writeUInt16BE(0xb861, 10);
    expect(verifyIpv4Checksum(header)).toBe(true);
  });

  it('matches RFC 1071 section 3 worked example (sum 0xddf2)', () => {
    // Words 0001 f203 f4f5 f6f7 sum to 0x2ddf0, folded 0xddf2; the checksum is its complement.
    expect(internetChecksum(Buffer.from('0001f203f4f5f6f7', 'hex'))).toBe(~0xddf2 & 0xffff);
  });

  it('agrees with an independent Python implementation on random data and UDP datagrams', () => {
    const samples = fc.sample(fc.uint8Array({ maxLength: 300 }), 200).map((b) => Buffer.from(b));
    const datagrams = fc.sample(
      fc.record({ src: ipv4, dst: ipv4, sp: u16, dp: u16, payload: bytes(200) }),
      200,
    );
    const built = datagrams.map((d) =>
      buildUdp(
        { srcPort: d.sp, dstPort: d.dp, payload: d.payload },
        { family: 'ipv4', src: d.src, dst: d.dst },
      ),
    );
    const expected = python([
      ...samples.map((b) => ({ hex: b.toString('hex') })),
      ...built.map((b, i) => ({ hex: b.toString('hex'), src: datagrams[i]!.src, dst: datagrams[i]!.dst })),
    ]);
    expect(samples.map((b) => internetChecksum(b))).toEqual(expected.slice(0, samples.length));
    expect(built.map((b) => b.readUInt16BE(6))).toEqual(expected.slice(samples.length));
  });

  it('built IPv4 headers verify, and any single flipped bit is detected', () => {
    fc.assert(
      fc.property(ipv4, ipv4, bytes(40), fc.nat(159), (src, dst, payload, bit) => {
        const p = buildIpv4Packet({
          dscp: 0,
          ecn: 0,
          identification: 1,
          dontFragment: true,
          moreFragments: false,
          fragmentOffset: 0,
          ttl: 64,
          protocol: 17,
          src,
          dst,
          payload,
        });
        expect(verifyIpv4Checksum(p)).toBe(true);
        p[bit >> 3]! ^= 1 << (bit & 7);
        expect(verifyIpv4Checksum(p)).toBe(false);
      }),
    );
  });

  it('TCP and UDP checksums verify and catch corruption', () => {
    const ph: PseudoHeader = {
      family: 'ipv4',
      src: parseIpv4Address('10.0.0.1'),
      dst: parseIpv4Address('10.0.0.2'),
    };
    const seg = buildTcp(
      {
        srcPort: 1234,
        dstPort: 80,
        seq: 1,
        ack: 0,
        flags: 0x002,
        window: 65535,
        urgentPointer: 0,
        payload: Buffer.from('hi'),
      },
      ph,
    );
    expect(verifyTcpChecksum(seg, ph)).toBe(true);
    expect(verifyTcpChecksum(seg, { ...ph, dst: parseIpv4Address('10.0.0.3') })).toBe(false);
    const dg = buildUdp({ srcPort: 68, dstPort: 67, payload: Buffer.from('x') }, ph);
    expect(verifyUdpChecksum(dg, ph)).toBe(true);
    dg[8] = 0x79;
    expect(verifyUdpChecksum(dg, ph)).toBe(false);
    // Zero means "no checksum" on IPv4.
    expect(verifyUdpChecksum(buildUdp({ srcPort: 1, dstPort: 2, payload: Buffer.alloc(3) }), ph)).toBe(true);
  });
});
