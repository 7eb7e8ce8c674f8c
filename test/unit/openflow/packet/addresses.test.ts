import fc from 'fast-check';
import {
  ipv4FromNumber,
  ipv4ToNumber,
  isMulticastMac,
  PacketError,
  parseIpv4Address,
  parseIpv6Address,
  parseMacAddress,
  prefixToNetmask,
  readIpv6,
  writeIpv6,
} from '../../../../src/openflow/packet';
import { ipv6, mac, u32 } from './arbitraries';

describe('MAC addresses', () => {
  it('canonicalises case and dashes', () => {
    expect(parseMacAddress('AA-bb-CC-dd-EE-0f')).toBe('aa:bb:cc:dd:ee:0f');
  });
  it('rejects malformed text with a typed error', () => {
    for (const bad of ['', 'aa:bb:cc:dd:ee', 'aa:bb:cc:dd:ee:fg', 'aabb.ccdd.eeff', 'aa:bb:cc:dd:ee:ff:00']) {
      expect(() => parseMacAddress(bad)).toThrow(PacketError);
    }
  });
  it('parse is the identity on canonical addresses', () => {
    fc.assert(fc.property(mac, (m) => parseMacAddress(m) === m));
  });
  it('knows multicast', () => {
    expect(isMulticastMac(parseMacAddress('01:00:5e:00:00:01'))).toBe(true);
    expect(isMulticastMac(parseMacAddress('02:00:5e:00:00:01'))).toBe(false);
  });
});

describe('IPv4 addresses', () => {
  it('round-trips through numbers', () => {
    fc.assert(fc.property(u32, (n) => ipv4ToNumber(parseIpv4Address(ipv4FromNumber(n))) === n));
  });
  it('rejects leading zeros, big octets and junk', () => {
    for (const bad of ['01.2.3.4', '256.1.1.1', '1.2.3', '1.2.3.4.5', ' 1.2.3.4', '1.2.3.-1', 'a.b.c.d']) {
      expect(() => parseIpv4Address(bad)).toThrow(PacketError);
    }
  });
  it('computes netmasks', () => {
    expect(prefixToNetmask(0)).toBe('0.0.0.0');
    expect(prefixToNetmask(24)).toBe('255.255.255.0');
    expect(prefixToNetmask(31)).toBe('255.255.255.254');
    expect(prefixToNetmask(32)).toBe('255.255.255.255');
    expect(() => prefixToNetmask(33)).toThrow(PacketError);
  });
});

describe('IPv6 addresses', () => {
  it('formats in RFC 5952 form', () => {
    expect(parseIpv6Address('2001:DB8:0:0:0:0:2:1')).toBe('2001:db8::2:1');
    expect(parseIpv6Address('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(parseIpv6Address('2001:0:0:1:0:0:0:1')).toBe('2001:0:0:1::1');
    expect(parseIpv6Address('0:0:0:0:0:0:0:0')).toBe('::');
    expect(parseIpv6Address('::ffff:10.0.0.1')).toBe('::ffff:a00:1');
    expect(parseIpv6Address('fe80::1')).toBe('fe80::1');
  });
  it('rejects malformed text', () => {
    for (const bad of ['1::2::3', '1:2:3:4:5:6:7', '12345::', 'g::', '1:2:3:4:5:6:7:8:9', '::1.2.3.256']) {
      expect(() => parseIpv6Address(bad)).toThrow(PacketError);
    }
  });
  it('bytes -> text -> bytes is the identity', () => {
    fc.assert(
      fc.property(ipv6, (a) => {
        const b = new Uint8Array(16);
        writeIpv6(b, 0, a);
        return readIpv6(b, 0) === a && parseIpv6Address(a) === a;
      }),
    );
  });
});
