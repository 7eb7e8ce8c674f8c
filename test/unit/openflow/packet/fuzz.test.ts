import fc from 'fast-check';
import {
  buildArp,
  buildDhcp,
  buildEthernet,
  buildIcmp,
  buildIpv4Packet,
  buildIpv6Packet,
  buildTcp,
  buildUdp,
  PacketError,
  parseArp,
  parseDhcp,
  parseEthernet,
  parseIcmp,
  parseIcmpv6,
  parseIpv4Address,
  parseIpv4Packet,
  parseIpv6Packet,
  parseMacAddress,
  parseTcp,
  parseUdp,
} from '../../../../src/openflow/packet';
import { sampleDhcp } from './samples';

const parsers: readonly ((b: Buffer) => unknown)[] = [
  parseEthernet,
  parseArp,
  parseIpv4Packet,
  parseIpv6Packet,
  parseIcmp,
  parseIcmpv6,
  parseUdp,
  parseTcp,
  parseDhcp,
];

const ip = parseIpv4Address;
const ph = { family: 'ipv4' as const, src: ip('10.0.0.1'), dst: ip('10.0.0.2') };
const seeds: readonly Buffer[] = [
  buildEthernet({
    dst: parseMacAddress('ff:ff:ff:ff:ff:ff'),
    src: parseMacAddress('02:00:00:00:00:01'),
    vlan: { pcp: 1, dei: false, vid: 10 },
    ethertype: 0x0806,
    payload: buildArp({
      op: 1,
      senderMac: parseMacAddress('02:00:00:00:00:01'),
      senderIp: ip('10.0.0.1'),
      targetMac: parseMacAddress('00:00:00:00:00:00'),
      targetIp: ip('10.0.0.2'),
    }),
  }),
  buildIpv4Packet({
    dscp: 0,
    ecn: 0,
    identification: 7,
    dontFragment: false,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: 64,
    protocol: 1,
    src: ip('10.0.0.1'),
    dst: ip('10.0.0.2'),
    options: Buffer.alloc(4),
    payload: buildIcmp({
      kind: 'echo-request',
      code: 0,
      identifier: 1,
      sequence: 2,
      data: Buffer.from('ping'),
    }),
  }),
  buildIpv6Packet({
    trafficClass: 0,
    flowLabel: 0,
    nextHeader: 0,
    hopLimit: 1,
    src: '::1' as never,
    dst: '::2' as never,
    payload: Buffer.from([44, 0, 0, 0, 0, 0, 0, 0, 17, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4]),
  }),
  buildUdp(
    {
      srcPort: 68,
      dstPort: 67,
      payload: buildDhcp(
        sampleDhcp({
          options: [
            { kind: 'messageType', value: 1 },
            {
              kind: 'classlessStaticRoutes',
              value: [{ destination: ip('10.0.0.0'), prefixLength: 8, router: ip('1.1.1.1') }],
            },
          ],
        }),
      ),
    },
    ph,
  ),
  buildTcp(
    {
      srcPort: 1,
      dstPort: 2,
      seq: 3,
      ack: 4,
      flags: 0x12,
      window: 5,
      urgentPointer: 0,
      options: Buffer.alloc(8),
      payload: Buffer.from('x'),
    },
    ph,
  ),
];

/** Every parser either returns or throws a PacketError: nothing else escapes. */
function tryAll(b: Buffer): void {
  for (const parse of parsers) {
    try {
      parse(b);
    } catch (e) {
      if (!(e instanceof PacketError)) throw e;
    }
  }
}

describe('packet fuzz', () => {
  it('random bytes never crash a parser', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (b) => tryAll(Buffer.from(b))),
      { numRuns: 5000 },
    );
  });

  it('mutated valid packets never crash a parser', () => {
    const mutation = fc.record({
      seed: fc.integer({ min: 0, max: seeds.length - 1 }),
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      cut: fc.option(fc.nat()),
    });
    fc.assert(
      fc.property(mutation, ({ seed, flips, cut }) => {
        const b = Buffer.from(seeds[seed]!);
        // Strip the UDP header for DHCP so mutations reach the options.
        for (const [at, v] of flips) b[at % b.length] = v;
        const cutAt = cut === null ? b.length : cut % (b.length + 1);
        tryAll(b.subarray(0, cutAt));
        tryAll(b.subarray(Math.min(8, cutAt), cutAt));
      }),
      { numRuns: 20000 },
    );
  });
});
