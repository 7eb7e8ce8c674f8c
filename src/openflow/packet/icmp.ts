import { internetChecksum } from './checksum';
import { PacketError, requireBytes } from './errors';

export const IcmpType = {
  ECHO_REPLY: 0,
  DESTINATION_UNREACHABLE: 3,
  ECHO_REQUEST: 8,
  TIME_EXCEEDED: 11,
} as const;

/** Codes of destination-unreachable used by a router. */
export const IcmpUnreachableCode = {
  NET: 0,
  HOST: 1,
  PROTOCOL: 2,
  PORT: 3,
  FRAGMENTATION_NEEDED: 4,
  ADMIN_PROHIBITED: 13,
} as const;

export type IcmpMessage =
  | {
      readonly kind: 'echo-request' | 'echo-reply';
      readonly code: number;
      readonly identifier: number;
      readonly sequence: number;
      readonly data: Uint8Array;
    }
  | {
      readonly kind: 'destination-unreachable';
      readonly code: number;
      /** Next-hop MTU (code 4, RFC 1191); 0 otherwise. */
      readonly nextHopMtu: number;
      /** The original IP header plus leading payload bytes. */
      readonly original: Uint8Array;
    }
  | { readonly kind: 'time-exceeded'; readonly code: number; readonly original: Uint8Array }
  | {
      readonly kind: 'other';
      readonly type: number;
      readonly code: number;
      /** The 32-bit "rest of header" word. */
      readonly rest: number;
      readonly data: Uint8Array;
    };

export type ParsedIcmp = IcmpMessage & { readonly checksum: number };

export function parseIcmp(buf: Buffer): ParsedIcmp {
  requireBytes('icmp', buf, 0, 8);
  const type = buf[0]!;
  const code = buf[1]!;
  const checksum = buf.readUInt16BE(2);
  const rest = buf.readUInt32BE(4);
  const data = buf.subarray(8);
  if (type === IcmpType.ECHO_REQUEST || type === IcmpType.ECHO_REPLY) {
    return {
      kind: type === IcmpType.ECHO_REQUEST ? 'echo-request' : 'echo-reply',
      code,
      identifier: rest >>> 16,
      sequence: rest & 0xffff,
      data,
      checksum,
    };
  }
  // Unused bits must be zero to use the typed form; otherwise keep every bit in 'other'.
  if (type === IcmpType.DESTINATION_UNREACHABLE && rest >>> 16 === 0) {
    return { kind: 'destination-unreachable', code, nextHopMtu: rest & 0xffff, original: data, checksum };
  }
  if (type === IcmpType.TIME_EXCEEDED && rest === 0)
    return { kind: 'time-exceeded', code, original: data, checksum };
  return { kind: 'other', type, code, rest, data, checksum };
}

export function verifyIcmpChecksum(buf: Uint8Array): boolean {
  return buf.length >= 8 && internetChecksum(buf) === 0;
}

function u(name: string, v: number, max: number): number {
  if (!Number.isInteger(v) || v < 0 || v > max)
    throw new PacketError('icmp', `${name} out of range: ${v}`, 0);
  return v;
}

/** Builds an ICMP message with its checksum. */
export function buildIcmp(m: IcmpMessage): Buffer {
  const body = m.kind === 'destination-unreachable' || m.kind === 'time-exceeded' ? m.original : m.data;
  const out = Buffer.allocUnsafe(8 + body.length);
  let type: number;
  let rest: number;
  switch (m.kind) {
    case 'echo-request':
    case 'echo-reply':
      type = m.kind === 'echo-request' ? IcmpType.ECHO_REQUEST : IcmpType.ECHO_REPLY;
      rest = u('identifier', m.identifier, 0xffff) * 0x10000 + u('sequence', m.sequence, 0xffff);
      break;
    case 'destination-unreachable':
      type = IcmpType.DESTINATION_UNREACHABLE;
      rest = u('nextHopMtu', m.nextHopMtu, 0xffff);
      break;
    case 'time-exceeded':
      type = IcmpType.TIME_EXCEEDED;
      rest = 0;
      break;
    default:
      type = u('type', m.type, 255);
      rest = u('rest', m.rest, 0xffffffff);
  }
  out[0] = type;
  out[1] = u('code', m.code, 255);
  out.writeUInt16BE(0, 2);
  out.writeUInt32BE(rest, 4);
  out.set(body, 8);
  out.writeUInt16BE(internetChecksum(out), 2);
  return out;
}

/**
 * The quote an ICMP error carries: the offending IP header plus the first 8 payload bytes
 * (RFC 792), a view into `ipPacket`.
 */
export function icmpErrorQuote(ipPacket: Buffer): Buffer {
  if (ipPacket.length < 20) return ipPacket;
  const headerLength = (ipPacket[0]! & 0x0f) * 4;
  return ipPacket.subarray(0, Math.min(ipPacket.length, headerLength + 8));
}
