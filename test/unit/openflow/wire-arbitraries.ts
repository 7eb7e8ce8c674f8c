/** fast-check generators of the plain wire types OpenFlow structs are made of: unsigned integers of each width, and bytes. */
import fc from 'fast-check';

export const u8 = fc.integer({ min: 0, max: 0xff });
export const u16 = fc.integer({ min: 0, max: 0xffff });
export const u32 = fc.integer({ min: 0, max: 0xffffffff });
export const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
export const bytes = (maxLength = 64) => fc.uint8Array({ maxLength }).map((b) => Buffer.from(b));
