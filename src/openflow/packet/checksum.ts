import { type Ipv4Address, writeIpv4 } from './ipv4-address';
import { type Ipv6Address, writeIpv6 } from './ipv6-address';

/**
 * The Internet checksum (RFC 1071): ones' complement of the ones' complement sum of 16-bit
 * words. Sums are kept as plain numbers and folded at the end, so no allocation per call.
 */

/** Adds the 16-bit big-endian words of buf[start, end) to `sum` (an odd tail is padded with zero). */
export function sumWords(buf: Uint8Array, start: number, end: number, sum = 0): number {
  let i = start;
  for (; i + 1 < end; i += 2) sum += (buf[i]! << 8) | buf[i + 1]!;
  if (i < end) sum += buf[i]! << 8;
  return sum;
}

/** Folds a running sum to 16 bits and complements it. */
export function finishChecksum(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

/** The checksum of buf[start, end). Over a region that includes a correct checksum, it is 0. */
export function internetChecksum(buf: Uint8Array, start = 0, end = buf.length): number {
  return finishChecksum(sumWords(buf, start, end));
}

/** The addresses a TCP/UDP/ICMPv6 checksum covers, from the enclosing IP header. */
export type PseudoHeader =
  | { readonly family: 'ipv4'; readonly src: Ipv4Address; readonly dst: Ipv4Address }
  | { readonly family: 'ipv6'; readonly src: Ipv6Address; readonly dst: Ipv6Address };

// One scratch buffer: addresses are written here to be summed, so checksumming allocates nothing.
const scratch = new Uint8Array(32);

/** Running sum of the pseudo-header for an upper-layer packet of `length` bytes. */
export function pseudoHeaderSum(pseudo: PseudoHeader, protocol: number, length: number): number {
  if (pseudo.family === 'ipv4') {
    writeIpv4(scratch, 0, pseudo.src);
    writeIpv4(scratch, 4, pseudo.dst);
    return sumWords(scratch, 0, 8) + protocol + length;
  }
  writeIpv6(scratch, 0, pseudo.src);
  writeIpv6(scratch, 16, pseudo.dst);
  return sumWords(scratch, 0, 32) + Math.floor(length / 0x10000) + (length & 0xffff) + protocol;
}
