import { internetChecksum } from './checksum';
import { PacketError, requireBytes } from './errors';
import { type Ipv4Address, readIpv4, writeIpv4 } from './ipv4-address';

export interface Ipv4Packet {
  readonly dscp: number;
  readonly ecn: number;
  readonly identification: number;
  readonly dontFragment: boolean;
  readonly moreFragments: boolean;
  /** Fragment offset in 8-byte units. */
  readonly fragmentOffset: number;
  readonly ttl: number;
  readonly protocol: number;
  /** The header checksum as carried on the wire (on build, it is always recomputed). */
  readonly checksum: number;
  readonly src: Ipv4Address;
  readonly dst: Ipv4Address;
  /** Header options (length a multiple of 4, at most 40). */
  readonly options: Buffer;
  /** The bytes covered by total length after the header; a view, not a copy. */
  readonly payload: Buffer;
}

export type Ipv4Fields = Omit<Ipv4Packet, 'checksum' | 'options' | 'payload'> & {
  readonly options?: Uint8Array;
  readonly payload: Uint8Array;
};

/** Parses an IPv4 header; trailing bytes beyond total length (Ethernet padding) are dropped. */
export function parseIpv4Packet(buf: Buffer): Ipv4Packet {
  requireBytes('ipv4', buf, 0, 20);
  const version = buf[0]! >>> 4;
  if (version !== 4) throw new PacketError('ipv4', `version ${version}, expected 4`, 0);
  const headerLength = (buf[0]! & 0x0f) * 4;
  if (headerLength < 20) throw new PacketError('ipv4', `header length ${headerLength} below 20`, 0);
  requireBytes('ipv4', buf, 0, headerLength);
  const totalLength = buf.readUInt16BE(2);
  if (totalLength < headerLength)
    throw new PacketError('ipv4', `total length ${totalLength} below header length ${headerLength}`, 2);
  if (totalLength > buf.length)
    throw new PacketError('ipv4', `total length ${totalLength} exceeds ${buf.length} bytes available`, 2);
  const flagsFrag = buf.readUInt16BE(6);
  return {
    dscp: buf[1]! >>> 2,
    ecn: buf[1]! & 3,
    identification: buf.readUInt16BE(4),
    dontFragment: (flagsFrag & 0x4000) !== 0,
    moreFragments: (flagsFrag & 0x2000) !== 0,
    fragmentOffset: flagsFrag & 0x1fff,
    ttl: buf[8]!,
    protocol: buf[9]!,
    checksum: buf.readUInt16BE(10),
    src: readIpv4(buf, 12),
    dst: readIpv4(buf, 16),
    options: buf.subarray(20, headerLength),
    payload: buf.subarray(headerLength, totalLength),
  };
}

/** True when the header checksum of the IPv4 packet at the start of `buf` is correct. */
export function verifyIpv4Checksum(buf: Uint8Array): boolean {
  if (buf.length < 20) return false;
  const headerLength = (buf[0]! & 0x0f) * 4;
  return headerLength >= 20 && buf.length >= headerLength && internetChecksum(buf, 0, headerLength) === 0;
}

function checkField(name: string, value: number, max: number, offset: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new PacketError('ipv4', `${name} out of range: ${value}`, offset);
}

/** Builds an IPv4 packet with total length and header checksum computed. */
export function buildIpv4Packet(p: Ipv4Fields): Buffer {
  const options = p.options ?? new Uint8Array(0);
  if (options.length % 4 !== 0 || options.length > 40) {
    throw new PacketError('ipv4', `options length ${options.length} must be a multiple of 4 up to 40`, 20);
  }
  const headerLength = 20 + options.length;
  const total = headerLength + p.payload.length;
  if (total > 0xffff) throw new PacketError('ipv4', `packet of ${total} bytes exceeds 65535`, 2);
  checkField('dscp', p.dscp, 63, 1);
  checkField('ecn', p.ecn, 3, 1);
  checkField('identification', p.identification, 0xffff, 4);
  checkField('fragmentOffset', p.fragmentOffset, 0x1fff, 6);
  checkField('ttl', p.ttl, 255, 8);
  checkField('protocol', p.protocol, 255, 9);
  const out = Buffer.allocUnsafe(total);
  out[0] = 0x40 | (headerLength / 4);
  out[1] = (p.dscp << 2) | p.ecn;
  out.writeUInt16BE(total, 2);
  out.writeUInt16BE(p.identification, 4);
  out.writeUInt16BE((p.dontFragment ? 0x4000 : 0) | (p.moreFragments ? 0x2000 : 0) | p.fragmentOffset, 6);
  out[8] = p.ttl;
  out[9] = p.protocol;
  out.writeUInt16BE(0, 10);
  writeIpv4(out, 12, p.src);
  writeIpv4(out, 16, p.dst);
  out.set(options, 20);
  out.writeUInt16BE(internetChecksum(out, 0, headerLength), 10);
  out.set(p.payload, headerLength);
  return out;
}
