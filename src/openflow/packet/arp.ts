import { PacketError, requireBytes } from './errors';
import { type Ipv4Address, readIpv4, writeIpv4 } from './ipv4-address';
import { type MacAddress, readMac, writeMac } from './mac-address';

export const ArpOp = { REQUEST: 1, REPLY: 2 } as const;

/** ARP for IPv4 over Ethernet (htype 1, ptype 0x0800); the only kind a controller answers. */
export interface ArpPacket {
  readonly op: number;
  readonly senderMac: MacAddress;
  readonly senderIp: Ipv4Address;
  readonly targetMac: MacAddress;
  readonly targetIp: Ipv4Address;
}

export const ARP_LENGTH = 28;

export function parseArp(buf: Buffer): ArpPacket {
  requireBytes('arp', buf, 0, ARP_LENGTH);
  if (buf.readUInt16BE(0) !== 1)
    throw new PacketError('arp', `hardware type ${buf.readUInt16BE(0)} is not Ethernet`, 0);
  if (buf.readUInt16BE(2) !== 0x0800)
    throw new PacketError('arp', `protocol type 0x${buf.readUInt16BE(2).toString(16)} is not IPv4`, 2);
  if (buf[4] !== 6 || buf[5] !== 4)
    throw new PacketError('arp', `address lengths ${buf[4]}/${buf[5]}, expected 6/4`, 4);
  return {
    op: buf.readUInt16BE(6),
    senderMac: readMac(buf, 8),
    senderIp: readIpv4(buf, 14),
    targetMac: readMac(buf, 18),
    targetIp: readIpv4(buf, 24),
  };
}

export function buildArp(arp: ArpPacket): Buffer {
  const out = Buffer.allocUnsafe(ARP_LENGTH);
  out.writeUInt16BE(1, 0);
  out.writeUInt16BE(0x0800, 2);
  out[4] = 6;
  out[5] = 4;
  if (!Number.isInteger(arp.op) || arp.op < 0 || arp.op > 0xffff)
    throw new PacketError('arp', `op out of range: ${arp.op}`, 6);
  out.writeUInt16BE(arp.op, 6);
  writeMac(out, 8, arp.senderMac);
  writeIpv4(out, 14, arp.senderIp);
  writeMac(out, 18, arp.targetMac);
  writeIpv4(out, 24, arp.targetIp);
  return out;
}
