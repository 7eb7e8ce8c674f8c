import { finishChecksum, type PseudoHeader, pseudoHeaderSum, sumWords } from './checksum';
import { PacketError, requireBytes } from './errors';
import { IpProtocol } from './ip-protocol';

export const TcpFlags = {
  FIN: 0x001,
  SYN: 0x002,
  RST: 0x004,
  PSH: 0x008,
  ACK: 0x010,
  URG: 0x020,
  ECE: 0x040,
  CWR: 0x080,
  NS: 0x100,
} as const;

export interface TcpSegment {
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seq: number;
  readonly ack: number;
  /** The 12 bits after the data offset: 3 reserved bits, then NS, CWR, ..., FIN (see TcpFlags). */
  readonly flags: number;
  readonly window: number;
  readonly checksum: number;
  readonly urgentPointer: number;
  /** Header options (length a multiple of 4, at most 40); a view. */
  readonly options: Buffer;
  readonly payload: Buffer;
}

export type TcpFields = Omit<TcpSegment, 'checksum' | 'options' | 'payload'> & {
  readonly options?: Uint8Array;
  readonly payload: Uint8Array;
};

export function parseTcp(buf: Buffer): TcpSegment {
  requireBytes('tcp', buf, 0, 20);
  const dataOffset = (buf[12]! >>> 4) * 4;
  if (dataOffset < 20) throw new PacketError('tcp', `data offset ${dataOffset} below 20`, 12);
  requireBytes('tcp', buf, 0, dataOffset);
  return {
    srcPort: buf.readUInt16BE(0),
    dstPort: buf.readUInt16BE(2),
    seq: buf.readUInt32BE(4),
    ack: buf.readUInt32BE(8),
    flags: buf.readUInt16BE(12) & 0x0fff,
    window: buf.readUInt16BE(14),
    checksum: buf.readUInt16BE(16),
    urgentPointer: buf.readUInt16BE(18),
    options: buf.subarray(20, dataOffset),
    payload: buf.subarray(dataOffset),
  };
}

export function verifyTcpChecksum(buf: Uint8Array, pseudo: PseudoHeader): boolean {
  return (
    buf.length >= 20 &&
    finishChecksum(sumWords(buf, 0, buf.length, pseudoHeaderSum(pseudo, IpProtocol.TCP, buf.length))) === 0
  );
}

export function buildTcp(t: TcpFields, pseudo: PseudoHeader): Buffer {
  const check = (name: string, v: number, max: number) => {
    if (!Number.isInteger(v) || v < 0 || v > max)
      throw new PacketError('tcp', `${name} out of range: ${v}`, 0);
  };
  check('srcPort', t.srcPort, 0xffff);
  check('dstPort', t.dstPort, 0xffff);
  check('seq', t.seq, 0xffffffff);
  check('ack', t.ack, 0xffffffff);
  check('flags', t.flags, 0x0fff);
  check('window', t.window, 0xffff);
  check('urgentPointer', t.urgentPointer, 0xffff);
  const options = t.options ?? new Uint8Array(0);
  if (options.length % 4 !== 0 || options.length > 40) {
    throw new PacketError('tcp', `options length ${options.length} must be a multiple of 4 up to 40`, 20);
  }
  const header = 20 + options.length;
  const out = Buffer.allocUnsafe(header + t.payload.length);
  out.writeUInt16BE(t.srcPort, 0);
  out.writeUInt16BE(t.dstPort, 2);
  out.writeUInt32BE(t.seq, 4);
  out.writeUInt32BE(t.ack, 8);
  out.writeUInt16BE(((header / 4) << 12) | t.flags, 12);
  out.writeUInt16BE(t.window, 14);
  out.writeUInt16BE(0, 16);
  out.writeUInt16BE(t.urgentPointer, 18);
  out.set(options, 20);
  out.set(t.payload, header);
  out.writeUInt16BE(
    finishChecksum(sumWords(out, 0, out.length, pseudoHeaderSum(pseudo, IpProtocol.TCP, out.length))),
    16,
  );
  return out;
}
