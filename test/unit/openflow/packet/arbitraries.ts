/** fast-check generators for packet fields, shared by the packet tests (with the plain wire types). */
import fc from 'fast-check';
import type { Ipv4Address, Ipv6Address, MacAddress } from '../../../../src/openflow/packet';
import { ipv4FromNumber, readIpv6, readMac } from '../../../../src/openflow/packet';

export { bytes, u8, u16, u32 } from '../wire-arbitraries';

export const mac = fc.uint8Array({ minLength: 6, maxLength: 6 }).map((b): MacAddress => readMac(b, 0));
export const ipv4 = fc.integer({ min: 0, max: 0xffffffff }).map((n): Ipv4Address => ipv4FromNumber(n));
export const ipv6 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b): Ipv6Address => readIpv6(b, 0));
export const pseudo = fc.oneof(
  fc.record({ family: fc.constant('ipv4' as const), src: ipv4, dst: ipv4 }),
  fc.record({ family: fc.constant('ipv6' as const), src: ipv6, dst: ipv6 }),
);
