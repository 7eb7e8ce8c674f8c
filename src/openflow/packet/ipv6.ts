import { PacketError, requireBytes } from './errors';
import { IpProtocol } from './ip-protocol';
import { type Ipv6Address, readIpv6, writeIpv6 } from './ipv6-address';

/** One extension header that was skipped to reach the upper-layer protocol. */
export interface Ipv6ExtensionHeader {
  /** Which header this is (its type is the previous header's next-header value). */
  readonly type: number;
  /** The whole extension header including its next-header and length bytes; a view. */
  readonly data: Buffer;
}

export interface Ipv6Packet {
  readonly trafficClass: number;
  readonly flowLabel: number;
  /** Next header field of the fixed header. */
  readonly nextHeader: number;
  readonly hopLimit: number;
  readonly src: Ipv6Address;
  readonly dst: Ipv6Address;
  readonly extensionHeaders: readonly Ipv6ExtensionHeader[];
  /** Protocol after all extension headers (59 = none; 44 chain stops at a non-first fragment). */
  readonly upperProtocol: number;
  /** Bytes after all extension headers; a view into the input. */
  readonly upperPayload: Buffer;
  /** Bytes after the fixed header (extension headers included); a view. */
  readonly payload: Buffer;
}

export type Ipv6Fields = Pick<
  Ipv6Packet,
  'trafficClass' | 'flowLabel' | 'nextHeader' | 'hopLimit' | 'src' | 'dst'
> & {
  /** Everything after the fixed header, extension headers included. */
  readonly payload: Uint8Array;
};

const EXTENSION_HEADERS = new Set<number>([
  IpProtocol.HOPOPT,
  IpProtocol.IPV6_ROUTE,
  IpProtocol.IPV6_OPTS,
  IpProtocol.IPV6_FRAG,
  IpProtocol.AH,
]);

export function parseIpv6Packet(buf: Buffer): Ipv6Packet {
  requireBytes('ipv6', buf, 0, 40);
  const word = buf.readUInt32BE(0);
  const version = word >>> 28;
  if (version !== 6) throw new PacketError('ipv6', `version ${version}, expected 6`, 0);
  const payloadLength = buf.readUInt16BE(4);
  // Jumbograms (length 0 with a hop-by-hop option) are not supported; 0 means an empty payload.
  if (40 + payloadLength > buf.length) {
    throw new PacketError(
      'ipv6',
      `payload length ${payloadLength} exceeds ${buf.length - 40} bytes available`,
      4,
    );
  }
  const payload = buf.subarray(40, 40 + payloadLength);
  const nextHeader = buf[6]!;
  const extensionHeaders: Ipv6ExtensionHeader[] = [];
  let type = nextHeader;
  let offset = 0;
  while (EXTENSION_HEADERS.has(type)) {
    requireBytes('ipv6', payload, offset, 8);
    let length: number;
    if (type === IpProtocol.IPV6_FRAG) length = 8;
    else if (type === IpProtocol.AH) length = (payload[offset + 1]! + 2) * 4;
    else length = (payload[offset + 1]! + 1) * 8;
    if (payload.length - offset < length) {
      throw new PacketError('ipv6', `extension header ${type} of ${length} bytes is truncated`, 40 + offset);
    }
    extensionHeaders.push({ type, data: payload.subarray(offset, offset + length) });
    const next = payload[offset]!;
    // A non-first fragment carries no upper-layer header: stop at the fragment header.
    const fragmentOffset = type === IpProtocol.IPV6_FRAG ? payload.readUInt16BE(offset + 2) >>> 3 : 0;
    offset += length;
    if (fragmentOffset !== 0) {
      return finish(IpProtocol.IPV6_FRAG);
    }
    type = next;
  }
  return finish(type);

  function finish(upperProtocol: number): Ipv6Packet {
    return {
      trafficClass: (word >>> 20) & 0xff,
      flowLabel: word & 0xfffff,
      nextHeader,
      hopLimit: buf[7]!,
      src: readIpv6(buf, 8),
      dst: readIpv6(buf, 24),
      extensionHeaders,
      upperProtocol,
      upperPayload: payload.subarray(offset),
      payload,
    };
  }
}

export function buildIpv6Packet(p: Ipv6Fields): Buffer {
  const check = (name: string, v: number, max: number) => {
    if (!Number.isInteger(v) || v < 0 || v > max)
      throw new PacketError('ipv6', `${name} out of range: ${v}`, 0);
  };
  check('trafficClass', p.trafficClass, 0xff);
  check('flowLabel', p.flowLabel, 0xfffff);
  check('nextHeader', p.nextHeader, 0xff);
  check('hopLimit', p.hopLimit, 0xff);
  if (p.payload.length > 0xffff)
    throw new PacketError('ipv6', `payload of ${p.payload.length} bytes exceeds 65535`, 4);
  const out = Buffer.allocUnsafe(40 + p.payload.length);
  out.writeUInt32BE(((6 << 28) | (p.trafficClass << 20) | p.flowLabel) >>> 0, 0);
  out.writeUInt16BE(p.payload.length, 4);
  out[6] = p.nextHeader;
  out[7] = p.hopLimit;
  writeIpv6(out, 8, p.src);
  writeIpv6(out, 24, p.dst);
  out.set(p.payload, 40);
  return out;
}
