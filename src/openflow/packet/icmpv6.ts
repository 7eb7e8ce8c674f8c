import { finishChecksum, type PseudoHeader, pseudoHeaderSum, sumWords } from './checksum';
import { PacketError, requireBytes } from './errors';
import { IpProtocol } from './ip-protocol';

export const Icmpv6Type = {
  DESTINATION_UNREACHABLE: 1,
  PACKET_TOO_BIG: 2,
  TIME_EXCEEDED: 3,
  ECHO_REQUEST: 128,
  ECHO_REPLY: 129,
  ROUTER_SOLICITATION: 133,
  ROUTER_ADVERTISEMENT: 134,
  NEIGHBOR_SOLICITATION: 135,
  NEIGHBOR_ADVERTISEMENT: 136,
} as const;

export type Icmpv6Message =
  | {
      readonly kind: 'echo-request' | 'echo-reply';
      readonly code: number;
      readonly identifier: number;
      readonly sequence: number;
      readonly data: Uint8Array;
    }
  | {
      readonly kind: 'other';
      readonly type: number;
      readonly code: number;
      /** Everything after the checksum. */
      readonly body: Uint8Array;
    };

export type ParsedIcmpv6 = Icmpv6Message & { readonly checksum: number };

export function parseIcmpv6(buf: Buffer): ParsedIcmpv6 {
  requireBytes('icmpv6', buf, 0, 4);
  const type = buf[0]!;
  const code = buf[1]!;
  const checksum = buf.readUInt16BE(2);
  if ((type === Icmpv6Type.ECHO_REQUEST || type === Icmpv6Type.ECHO_REPLY) && buf.length >= 8) {
    return {
      kind: type === Icmpv6Type.ECHO_REQUEST ? 'echo-request' : 'echo-reply',
      code,
      identifier: buf.readUInt16BE(4),
      sequence: buf.readUInt16BE(6),
      data: buf.subarray(8),
      checksum,
    };
  }
  return { kind: 'other', type, code, body: buf.subarray(4), checksum };
}

/** ICMPv6 always carries a checksum over the IPv6 pseudo-header (RFC 4443). */
export function verifyIcmpv6Checksum(buf: Uint8Array, pseudo: PseudoHeader): boolean {
  return (
    buf.length >= 4 &&
    finishChecksum(sumWords(buf, 0, buf.length, pseudoHeaderSum(pseudo, IpProtocol.ICMPV6, buf.length))) === 0
  );
}

export function buildIcmpv6(m: Icmpv6Message, pseudo: PseudoHeader): Buffer {
  const u = (name: string, v: number, max: number): number => {
    if (!Number.isInteger(v) || v < 0 || v > max)
      throw new PacketError('icmpv6', `${name} out of range: ${v}`, 0);
    return v;
  };
  let out: Buffer;
  if (m.kind === 'other') {
    out = Buffer.allocUnsafe(4 + m.body.length);
    out[0] = u('type', m.type, 255);
    out.set(m.body, 4);
  } else {
    out = Buffer.allocUnsafe(8 + m.data.length);
    out[0] = m.kind === 'echo-request' ? Icmpv6Type.ECHO_REQUEST : Icmpv6Type.ECHO_REPLY;
    out.writeUInt16BE(u('identifier', m.identifier, 0xffff), 4);
    out.writeUInt16BE(u('sequence', m.sequence, 0xffff), 6);
    out.set(m.data, 8);
  }
  out[1] = u('code', m.code, 255);
  out.writeUInt16BE(0, 2);
  out.writeUInt16BE(
    finishChecksum(sumWords(out, 0, out.length, pseudoHeaderSum(pseudo, IpProtocol.ICMPV6, out.length))),
    2,
  );
  return out;
}
