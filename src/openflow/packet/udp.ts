import { finishChecksum, type PseudoHeader, pseudoHeaderSum, sumWords } from './checksum';
import { PacketError, requireBytes } from './errors';
import { IpProtocol } from './ip-protocol';

export interface UdpDatagram {
  readonly srcPort: number;
  readonly dstPort: number;
  /** As carried; 0 means "no checksum" (IPv4 only). */
  readonly checksum: number;
  /** The bytes covered by the length field after the header; a view. */
  readonly payload: Buffer;
}

export function parseUdp(buf: Buffer): UdpDatagram {
  requireBytes('udp', buf, 0, 8);
  const length = buf.readUInt16BE(4);
  if (length < 8) throw new PacketError('udp', `length ${length} below 8`, 4);
  if (length > buf.length)
    throw new PacketError('udp', `length ${length} exceeds ${buf.length} bytes available`, 4);
  return {
    srcPort: buf.readUInt16BE(0),
    dstPort: buf.readUInt16BE(2),
    checksum: buf.readUInt16BE(6),
    payload: buf.subarray(8, length),
  };
}

/**
 * Checks the checksum of the UDP datagram in buf (exactly the datagram's bytes). A zero
 * checksum over IPv4 means the sender did not compute one, which is valid.
 */
export function verifyUdpChecksum(buf: Uint8Array, pseudo: PseudoHeader): boolean {
  if (buf.length < 8) return false;
  if (pseudo.family === 'ipv4' && buf[6] === 0 && buf[7] === 0) return true;
  return (
    finishChecksum(sumWords(buf, 0, buf.length, pseudoHeaderSum(pseudo, IpProtocol.UDP, buf.length))) === 0
  );
}

/** Builds a datagram; with a pseudo-header the checksum is computed, without it is 0 (IPv4 only). */
export function buildUdp(
  udp: { readonly srcPort: number; readonly dstPort: number; readonly payload: Uint8Array },
  pseudo?: PseudoHeader,
): Buffer {
  for (const [name, v] of [
    ['srcPort', udp.srcPort],
    ['dstPort', udp.dstPort],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff)
      throw new PacketError('udp', `${name} out of range: ${v}`, 0);
  }
  const length = 8 + udp.payload.length;
  if (length > 0xffff) throw new PacketError('udp', `datagram of ${length} bytes exceeds 65535`, 4);
  const out = Buffer.allocUnsafe(length);
  out.writeUInt16BE(udp.srcPort, 0);
  out.writeUInt16BE(udp.dstPort, 2);
  out.writeUInt16BE(length, 4);
  out.writeUInt16BE(0, 6);
  out.set(udp.payload, 8);
  if (pseudo) {
    const sum = finishChecksum(sumWords(out, 0, length, pseudoHeaderSum(pseudo, IpProtocol.UDP, length)));
    // A computed zero is sent as all ones; zero on the wire means "none" (RFC 768).
    out.writeUInt16BE(sum === 0 ? 0xffff : sum, 6);
  }
  return out;
}
