import fc from 'fast-check';
import {
  BootpOp,
  buildDhcp,
  DhcpMessageType,
  type DhcpOption,
  type DhcpPacket,
  dhcpOption,
  PacketError,
  parseDhcp,
  parseIpv4Address,
  parseMacAddress,
} from '../../../../src/openflow/packet';
import { ipv4, mac, u8, u16, u32 } from './arbitraries';
import { sampleDhcp } from './samples';

const ip = parseIpv4Address;

function plain(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

const text = fc.string({
  minLength: 1,
  maxLength: 40,
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
});
const ipList = fc.array(ipv4, { minLength: 1, maxLength: 8 });
const route = fc.integer({ min: 0, max: 32 }).chain((prefixLength) =>
  fc.record({
    prefixLength: fc.constant(prefixLength),
    destination: fc.integer({ min: 0, max: 0xffffffff }).map((n) => {
      const masked = prefixLength === 0 ? 0 : (n & ((0xffffffff << (32 - prefixLength)) >>> 0)) >>> 0;
      return `${masked >>> 24}.${(masked >>> 16) & 255}.${(masked >>> 8) & 255}.${masked & 255}` as DhcpPacket['ciaddr'];
    }),
    router: ipv4,
  }),
);

const option: fc.Arbitrary<DhcpOption> = fc.oneof(
  fc.record({ kind: fc.constant('messageType' as const), value: fc.integer({ min: 1, max: 8 }) }),
  fc.record({
    kind: fc.constantFrom(
      'serverId' as const,
      'requestedAddress' as const,
      'subnetMask' as const,
      'broadcastAddress' as const,
    ),
    value: ipv4,
  }),
  fc.record({
    kind: fc.constantFrom('leaseTime' as const, 'renewalTime' as const, 'rebindingTime' as const),
    value: u32,
  }),
  fc.record({ kind: fc.constant('mtu' as const), value: fc.integer({ min: 68, max: 0xffff }) }),
  fc.record({
    kind: fc.constantFrom('routers' as const, 'dnsServers' as const, 'ntpServers' as const),
    value: ipList,
  }),
  fc.record({ kind: fc.constantFrom('domainName' as const, 'hostname' as const), value: text }),
  fc.record({ kind: fc.constant('parameterRequestList' as const), value: fc.array(u8, { maxLength: 20 }) }),
  fc.record({
    kind: fc.constant('clientId' as const),
    value: fc.uint8Array({ minLength: 1, maxLength: 20 }),
  }),
  fc.record({
    kind: fc.constant('classlessStaticRoutes' as const),
    value: fc.array(route, { minLength: 1, maxLength: 8 }),
  }),
  fc.record({
    kind: fc.constant('raw' as const),
    code: fc.constantFrom(43, 60, 66, 67, 82, 119, 224),
    data: fc.uint8Array({ maxLength: 30 }),
  }),
);

const packet: fc.Arbitrary<DhcpPacket> = fc.record({
  op: fc.constantFrom(1, 2),
  hops: u8,
  xid: u32,
  secs: u16,
  flags: u16,
  ciaddr: ipv4,
  yiaddr: ipv4,
  siaddr: ipv4,
  giaddr: ipv4,
  chaddr: mac,
  sname: fc.constantFrom('', 'server'),
  file: fc.constantFrom('', 'pxelinux.0'),
  options: fc.array(option, { maxLength: 12 }),
});

describe('DHCP', () => {
  it('round-trips any message, both directions', () => {
    fc.assert(
      fc.property(packet, (p) => {
        const wire = buildDhcp(p);
        const parsed = parseDhcp(wire);
        expect(plain(parsed)).toEqual(plain(p));
        expect(buildDhcp(parsed)).toEqual(wire);
      }),
    );
  });

  it('encodes an offer byte for byte as RFC 2131/2132/3442 describe', () => {
    const offer = buildDhcp({
      op: BootpOp.REPLY,
      hops: 0,
      xid: 0x3903f326,
      secs: 0,
      flags: 0,
      ciaddr: ip('0.0.0.0'),
      yiaddr: ip('192.168.1.100'),
      siaddr: ip('0.0.0.0'),
      giaddr: ip('0.0.0.0'),
      chaddr: parseMacAddress('00:0c:29:11:22:33'),
      sname: '',
      file: '',
      options: [
        { kind: 'messageType', value: DhcpMessageType.OFFER },
        { kind: 'serverId', value: ip('192.168.1.1') },
        { kind: 'leaseTime', value: 86400 },
        { kind: 'subnetMask', value: ip('255.255.255.0') },
        { kind: 'mtu', value: 1450 },
        {
          kind: 'classlessStaticRoutes',
          value: [
            { destination: ip('10.0.0.0'), prefixLength: 8, router: ip('192.168.1.254') },
            { destination: ip('0.0.0.0'), prefixLength: 0, router: ip('192.168.1.1') },
          ],
        },
      ],
    });
    expect(offer.length).toBe(300);
    expect(offer.subarray(0, 12).toString('hex')).toBe('020106003903f32600000000');
    expect(offer.subarray(16, 20).toString('hex')).toBe('c0a80164');
    expect(offer.subarray(28, 34).toString('hex')).toBe('000c29112233');
    expect(offer.subarray(236, 240).toString('hex')).toBe('63825363');
    expect(offer.subarray(240, 240 + 39).toString('hex')).toBe(
      [
        '350102', // message type offer
        '3604c0a80101', // server id
        '330400015180', // lease 86400
        '0104ffffff00', // mask
        '1a0205aa', // MTU 1450
        '790b',
        '080a',
        'c0a801fe',
        '00',
        'c0a80101', // routes: 10/8 via .254, default via .1
        'ff',
      ].join(''),
    );
  });

  it('finds options by kind and keeps unknown or malformed ones raw', () => {
    const wire = buildDhcp(
      sampleDhcp({
        flags: 0x8000,
        options: [
          { kind: 'messageType', value: DhcpMessageType.DISCOVER },
          { kind: 'raw', code: 51, data: Uint8Array.of(1, 2) }, // lease time of the wrong length
          { kind: 'parameterRequestList', value: [1, 3, 6, 15, 26, 121] },
        ],
      }),
    );
    const p = parseDhcp(wire);
    expect(dhcpOption(p, 'messageType')?.value).toBe(DhcpMessageType.DISCOVER);
    expect(dhcpOption(p, 'leaseTime')).toBeUndefined();
    expect(dhcpOption(p, 'raw')).toEqual({ kind: 'raw', code: 51, data: Buffer.from([1, 2]) });
    expect(dhcpOption(p, 'parameterRequestList')?.value).toEqual([1, 3, 6, 15, 26, 121]);
  });

  it('skips pad options and reports truncation with the offset', () => {
    const base = buildDhcp(sampleDhcp());
    const padded = Buffer.concat([base.subarray(0, 240), Buffer.from('0000350105ff', 'hex')]);
    expect(parseDhcp(padded).options).toEqual([{ kind: 'messageType', value: 5 }]);
    const truncated = Buffer.concat([base.subarray(0, 240), Buffer.from('3504', 'hex')]);
    expect(() => parseDhcp(truncated)).toThrow(
      new PacketError('dhcp', 'option 53 of length 4 is truncated', 240),
    );
    expect(() => parseDhcp(base.subarray(0, 239))).toThrow(PacketError);
    const noEnd = base.subarray(0, 240);
    expect(() => parseDhcp(noEnd)).toThrow(/not terminated/);
  });

  it('rejects options too long to encode', () => {
    const p = {
      ...fc.sample(packet, 1)[0]!,
      options: [{ kind: 'clientId' as const, value: new Uint8Array(256) }],
    };
    expect(() => buildDhcp(p)).toThrow(PacketError);
  });
});
