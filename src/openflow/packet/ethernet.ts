import { PacketError, requireBytes } from './errors';
import { type MacAddress, readMac, writeMac } from './mac-address';

export const EtherType = {
  IPV4: 0x0800,
  ARP: 0x0806,
  VLAN: 0x8100,
  IPV6: 0x86dd,
  LLDP: 0x88cc,
} as const;

/** One 802.1Q tag (TPID 0x8100). */
export interface VlanTag {
  /** Priority code point, 0..7. */
  readonly pcp: number;
  /** Drop eligible indicator (formerly CFI). */
  readonly dei: boolean;
  /** VLAN id, 0..4095. */
  readonly vid: number;
}

export interface EthernetFrame {
  readonly dst: MacAddress;
  readonly src: MacAddress;
  /** Present when the frame carried an 802.1Q tag. */
  readonly vlan?: VlanTag;
  /** EtherType of the payload (after the VLAN tag, if any). */
  readonly ethertype: number;
  /** The bytes after the Ethernet (and VLAN) header; a view into the input, not a copy. */
  readonly payload: Buffer;
}

/** Parses an Ethernet II frame with at most one 802.1Q tag. */
export function parseEthernet(buf: Buffer): EthernetFrame {
  requireBytes('ethernet', buf, 0, 14);
  const dst = readMac(buf, 0);
  const src = readMac(buf, 6);
  let ethertype = buf.readUInt16BE(12);
  if (ethertype !== EtherType.VLAN) {
    if (ethertype < 0x0600)
      throw new PacketError('ethernet', `802.3 length field ${ethertype}, not an EtherType`, 12);
    return { dst, src, ethertype, payload: buf.subarray(14) };
  }
  requireBytes('vlan', buf, 14, 4);
  const tci = buf.readUInt16BE(14);
  ethertype = buf.readUInt16BE(16);
  return {
    dst,
    src,
    vlan: { pcp: tci >>> 13, dei: (tci & 0x1000) !== 0, vid: tci & 0x0fff },
    ethertype,
    payload: buf.subarray(18),
  };
}

/** Builds a frame; no padding to 60 bytes is added (OVS pads on output when needed). */
export function buildEthernet(
  frame: Omit<EthernetFrame, 'payload'> & { readonly payload: Uint8Array },
): Buffer {
  const header = frame.vlan ? 18 : 14;
  const out = Buffer.allocUnsafe(header + frame.payload.length);
  writeMac(out, 0, frame.dst);
  writeMac(out, 6, frame.src);
  checkU16('ethernet', 'ethertype', frame.ethertype);
  if (frame.vlan) {
    const { pcp, dei, vid } = frame.vlan;
    if (!Number.isInteger(pcp) || pcp < 0 || pcp > 7)
      throw new PacketError('vlan', `pcp out of range: ${pcp}`, 14);
    if (!Number.isInteger(vid) || vid < 0 || vid > 4095)
      throw new PacketError('vlan', `vid out of range: ${vid}`, 14);
    out.writeUInt16BE(EtherType.VLAN, 12);
    out.writeUInt16BE((pcp << 13) | (dei ? 0x1000 : 0) | vid, 14);
    out.writeUInt16BE(frame.ethertype, 16);
  } else {
    out.writeUInt16BE(frame.ethertype, 12);
  }
  out.set(frame.payload, header);
  return out;
}

/** Throws a PacketError unless `value` is an integer in 0..0xffff. */
export function checkU16(protocol: string, field: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) {
    throw new PacketError(protocol, `${field} out of range: ${value}`, 0);
  }
}
