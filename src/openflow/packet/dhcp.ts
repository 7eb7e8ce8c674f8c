import { PacketError, requireBytes } from './errors';
import { type Ipv4Address, readIpv4, writeIpv4 } from './ipv4-address';
import { type MacAddress, readMac, writeMac } from './mac-address';

export const DHCP_SERVER_PORT = 67;
export const DHCP_CLIENT_PORT = 68;
const MAGIC_COOKIE = 0x63825363;
/** Fixed BOOTP header plus the magic cookie. */
const HEADER_LENGTH = 240;

export const BootpOp = { REQUEST: 1, REPLY: 2 } as const;

export const DhcpMessageType = {
  DISCOVER: 1,
  OFFER: 2,
  REQUEST: 3,
  DECLINE: 4,
  ACK: 5,
  NAK: 6,
  RELEASE: 7,
  INFORM: 8,
} as const;

export const DhcpOptionCode = {
  PAD: 0,
  SUBNET_MASK: 1,
  ROUTER: 3,
  DNS_SERVERS: 6,
  HOSTNAME: 12,
  DOMAIN_NAME: 15,
  MTU: 26,
  BROADCAST_ADDRESS: 28,
  NTP_SERVERS: 42,
  REQUESTED_ADDRESS: 50,
  LEASE_TIME: 51,
  MESSAGE_TYPE: 53,
  SERVER_ID: 54,
  PARAMETER_REQUEST_LIST: 55,
  RENEWAL_TIME: 58,
  REBINDING_TIME: 59,
  CLIENT_ID: 61,
  CLASSLESS_STATIC_ROUTES: 121,
  END: 255,
} as const;

/** One classless static route (RFC 3442). */
export interface ClasslessRoute {
  readonly destination: Ipv4Address;
  readonly prefixLength: number;
  readonly router: Ipv4Address;
}

/** A DHCP option; the ones a controller's DHCP server uses are typed, others stay raw. */
export type DhcpOption =
  | { readonly kind: 'messageType'; readonly value: number }
  | { readonly kind: 'serverId'; readonly value: Ipv4Address }
  | { readonly kind: 'requestedAddress'; readonly value: Ipv4Address }
  | { readonly kind: 'subnetMask'; readonly value: Ipv4Address }
  | { readonly kind: 'broadcastAddress'; readonly value: Ipv4Address }
  | { readonly kind: 'leaseTime'; readonly value: number }
  | { readonly kind: 'renewalTime'; readonly value: number }
  | { readonly kind: 'rebindingTime'; readonly value: number }
  | { readonly kind: 'mtu'; readonly value: number }
  | { readonly kind: 'routers'; readonly value: readonly Ipv4Address[] }
  | { readonly kind: 'dnsServers'; readonly value: readonly Ipv4Address[] }
  | { readonly kind: 'ntpServers'; readonly value: readonly Ipv4Address[] }
  | { readonly kind: 'domainName'; readonly value: string }
  | { readonly kind: 'hostname'; readonly value: string }
  | { readonly kind: 'parameterRequestList'; readonly value: readonly number[] }
  | { readonly kind: 'clientId'; readonly value: Uint8Array }
  | { readonly kind: 'classlessStaticRoutes'; readonly value: readonly ClasslessRoute[] }
  | { readonly kind: 'raw'; readonly code: number; readonly data: Uint8Array };

export type DhcpOptionKind = DhcpOption['kind'];

export interface DhcpPacket {
  readonly op: number;
  /** Hardware type (1 = Ethernet) and address length are fixed to Ethernet. */
  readonly hops: number;
  readonly xid: number;
  readonly secs: number;
  /** Bit 15 is the broadcast flag. */
  readonly flags: number;
  readonly ciaddr: Ipv4Address;
  readonly yiaddr: Ipv4Address;
  readonly siaddr: Ipv4Address;
  readonly giaddr: Ipv4Address;
  readonly chaddr: MacAddress;
  /** Server host name field (not option-overloaded), NUL-trimmed. */
  readonly sname: string;
  /** Boot file name field, NUL-trimmed. */
  readonly file: string;
  /** Options in wire order, without pad and end. */
  readonly options: readonly DhcpOption[];
}

export const DHCP_BROADCAST_FLAG = 0x8000;

type AddressKind = 'serverId' | 'requestedAddress' | 'subnetMask' | 'broadcastAddress';
type U32Kind = 'leaseTime' | 'renewalTime' | 'rebindingTime';
type ListKind = 'routers' | 'dnsServers' | 'ntpServers';
type TextKind = 'domainName' | 'hostname';

const ADDRESS: Readonly<Record<number, AddressKind>> = {
  54: 'serverId',
  50: 'requestedAddress',
  1: 'subnetMask',
  28: 'broadcastAddress',
};
const U32: Readonly<Record<number, U32Kind>> = { 51: 'leaseTime', 58: 'renewalTime', 59: 'rebindingTime' };
const LIST: Readonly<Record<number, ListKind>> = { 3: 'routers', 6: 'dnsServers', 42: 'ntpServers' };
const TEXT: Readonly<Record<number, TextKind>> = { 15: 'domainName', 12: 'hostname' };

const CODE_OF: Readonly<Record<Exclude<DhcpOptionKind, 'raw'>, number>> = {
  messageType: 53,
  serverId: 54,
  requestedAddress: 50,
  subnetMask: 1,
  broadcastAddress: 28,
  leaseTime: 51,
  renewalTime: 58,
  rebindingTime: 59,
  mtu: 26,
  routers: 3,
  dnsServers: 6,
  ntpServers: 42,
  domainName: 15,
  hostname: 12,
  parameterRequestList: 55,
  clientId: 61,
  classlessStaticRoutes: 121,
};

/** The first option of a kind, e.g. `dhcpOption(p, 'messageType')?.value`. */
export function dhcpOption<K extends DhcpOptionKind>(
  p: Pick<DhcpPacket, 'options'>,
  kind: K,
): Extract<DhcpOption, { kind: K }> | undefined {
  return p.options.find((o): o is Extract<DhcpOption, { kind: K }> => o.kind === kind);
}

function readText(buf: Uint8Array, start: number, end: number): string {
  let e = start;
  while (e < end && buf[e] !== 0) e++;
  return Buffer.from(buf.buffer, buf.byteOffset + start, e - start).toString('latin1');
}

function decodeOption(code: number, data: Buffer, at: number): DhcpOption {
  const len = data.length;
  const raw = (): DhcpOption => ({ kind: 'raw', code, data });
  if (code === 53) return len === 1 ? { kind: 'messageType', value: data[0]! } : raw();
  const addressKind = ADDRESS[code];
  if (addressKind) return len === 4 ? { kind: addressKind, value: readIpv4(data, 0) } : raw();
  const u32Kind = U32[code];
  if (u32Kind) return len === 4 ? { kind: u32Kind, value: data.readUInt32BE(0) } : raw();
  if (code === 26) return len === 2 ? { kind: 'mtu', value: data.readUInt16BE(0) } : raw();
  const listKind = LIST[code];
  if (listKind) {
    if (len === 0 || len % 4 !== 0) return raw();
    const value: Ipv4Address[] = [];
    for (let i = 0; i < len; i += 4) value.push(readIpv4(data, i));
    return { kind: listKind, value };
  }
  const textKind = TEXT[code];
  // Text is kept typed only when it survives a round trip (no NULs).
  if (textKind)
    return len > 0 && !data.includes(0) ? { kind: textKind, value: data.toString('latin1') } : raw();
  if (code === 55) return { kind: 'parameterRequestList', value: Array.from(data) };
  if (code === 61) return len > 0 ? { kind: 'clientId', value: data } : raw();
  if (code === 121) return decodeRoutes(data, at) ?? raw();
  return raw();
}

/** RFC 3442 encoding: prefix length, the significant destination octets, then the router. */
function decodeRoutes(data: Buffer, _at: number): DhcpOption | undefined {
  const value: ClasslessRoute[] = [];
  let i = 0;
  while (i < data.length) {
    const prefixLength = data[i]!;
    if (prefixLength > 32) return undefined;
    const octets = Math.ceil(prefixLength / 8);
    if (i + 1 + octets + 4 > data.length) return undefined;
    const dest = [0, 0, 0, 0];
    for (let k = 0; k < octets; k++) dest[k] = data[i + 1 + k]!;
    // Non-canonical encodings (bits set past the prefix) stay raw so bytes round-trip.
    const mask = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
    const n = ((dest[0]! << 24) | (dest[1]! << 16) | (dest[2]! << 8) | dest[3]!) >>> 0;
    if ((n & ~mask) >>> 0 !== 0) return undefined;
    value.push({
      destination: dest.join('.') as Ipv4Address,
      prefixLength,
      router: readIpv4(data, i + 1 + octets),
    });
    i += 1 + octets + 4;
  }
  return value.length > 0 ? { kind: 'classlessStaticRoutes', value } : undefined;
}

/** Parses a BOOTP/DHCP message (the UDP payload). Requires the DHCP magic cookie. */
export function parseDhcp(buf: Buffer): DhcpPacket {
  requireBytes('dhcp', buf, 0, HEADER_LENGTH);
  if (buf[1] !== 1 || buf[2] !== 6)
    throw new PacketError('dhcp', `hardware type ${buf[1]}/length ${buf[2]} is not Ethernet`, 1);
  if (buf.readUInt32BE(236) !== MAGIC_COOKIE) throw new PacketError('dhcp', 'missing DHCP magic cookie', 236);
  const options: DhcpOption[] = [];
  let i = HEADER_LENGTH;
  let ended = false;
  while (i < buf.length) {
    const code = buf[i]!;
    if (code === DhcpOptionCode.PAD) {
      i++;
      continue;
    }
    if (code === DhcpOptionCode.END) {
      ended = true;
      break;
    }
    if (i + 1 >= buf.length) throw new PacketError('dhcp', `option ${code} has no length byte`, i);
    const len = buf[i + 1]!;
    if (i + 2 + len > buf.length)
      throw new PacketError('dhcp', `option ${code} of length ${len} is truncated`, i);
    options.push(decodeOption(code, buf.subarray(i + 2, i + 2 + len), i));
    i += 2 + len;
  }
  if (!ended) throw new PacketError('dhcp', 'options are not terminated by an end option', i);
  return {
    op: buf[0]!,
    hops: buf[3]!,
    xid: buf.readUInt32BE(4),
    secs: buf.readUInt16BE(8),
    flags: buf.readUInt16BE(10),
    ciaddr: readIpv4(buf, 12),
    yiaddr: readIpv4(buf, 16),
    siaddr: readIpv4(buf, 20),
    giaddr: readIpv4(buf, 24),
    chaddr: readMac(buf, 28),
    sname: readText(buf, 44, 108),
    file: readText(buf, 108, 236),
    options,
  };
}

function encodeOption(o: DhcpOption): { code: number; data: Uint8Array } {
  if (o.kind === 'raw') return { code: o.code, data: o.data };
  const code = CODE_OF[o.kind];
  const fail = (what: string): never => {
    throw new PacketError('dhcp', `option ${o.kind}: ${what}`, 0);
  };
  switch (o.kind) {
    case 'messageType':
      if (!Number.isInteger(o.value) || o.value < 0 || o.value > 255) fail(`value out of range: ${o.value}`);
      return { code, data: Uint8Array.of(o.value) };
    case 'mtu': {
      if (!Number.isInteger(o.value) || o.value < 68 || o.value > 0xffff)
        fail(`MTU out of range: ${o.value}`);
      const d = Buffer.allocUnsafe(2);
      d.writeUInt16BE(o.value, 0);
      return { code, data: d };
    }
    case 'leaseTime':
    case 'renewalTime':
    case 'rebindingTime': {
      if (!Number.isInteger(o.value) || o.value < 0 || o.value > 0xffffffff)
        fail(`value out of range: ${o.value}`);
      const d = Buffer.allocUnsafe(4);
      d.writeUInt32BE(o.value, 0);
      return { code, data: d };
    }
    case 'serverId':
    case 'requestedAddress':
    case 'subnetMask':
    case 'broadcastAddress': {
      const d = Buffer.allocUnsafe(4);
      writeIpv4(d, 0, o.value);
      return { code, data: d };
    }
    case 'routers':
    case 'dnsServers':
    case 'ntpServers': {
      if (o.value.length === 0) fail('needs at least one address');
      const d = Buffer.allocUnsafe(4 * o.value.length);
      for (let k = 0; k < o.value.length; k++) writeIpv4(d, 4 * k, o.value[k]!);
      return { code, data: d };
    }
    case 'domainName':
    case 'hostname':
      if (o.value.length === 0) fail('must not be empty');
      return { code, data: Buffer.from(o.value, 'latin1') };
    case 'parameterRequestList':
      if (o.value.some((c) => !Number.isInteger(c) || c < 0 || c > 255)) fail('codes must be 0..255');
      return { code, data: Uint8Array.from(o.value) };
    case 'clientId':
      return { code, data: o.value };
    case 'classlessStaticRoutes': {
      const parts: number[] = [];
      for (const r of o.value) {
        if (!Number.isInteger(r.prefixLength) || r.prefixLength < 0 || r.prefixLength > 32)
          fail(`prefix length ${r.prefixLength}`);
        const dest = Buffer.allocUnsafe(4);
        writeIpv4(dest, 0, r.destination);
        const gw = Buffer.allocUnsafe(4);
        writeIpv4(gw, 0, r.router);
        parts.push(r.prefixLength, ...dest.subarray(0, Math.ceil(r.prefixLength / 8)), ...gw);
      }
      return { code, data: Uint8Array.from(parts) };
    }
  }
}

function writeText(out: Buffer, start: number, size: number, text: string, field: string): void {
  const b = Buffer.from(text, 'latin1');
  if (b.length >= size) throw new PacketError('dhcp', `${field} longer than ${size - 1} bytes`, start);
  out.set(b, start);
}

/**
 * Builds a DHCP message: header, magic cookie, options in order, end option, padded to the
 * 300-byte BOOTP minimum that some clients still expect.
 */
export function buildDhcp(p: DhcpPacket): Buffer {
  const encoded = p.options.map(encodeOption);
  let length = HEADER_LENGTH + 1;
  for (const { code, data } of encoded) {
    if (
      code === DhcpOptionCode.PAD ||
      code === DhcpOptionCode.END ||
      !Number.isInteger(code) ||
      code < 0 ||
      code > 255
    ) {
      throw new PacketError('dhcp', `option code ${code} cannot carry data`, 0);
    }
    if (data.length > 255)
      throw new PacketError('dhcp', `option ${code} data of ${data.length} bytes exceeds 255`, 0);
    length += 2 + data.length;
  }
  const check = (name: string, v: number, max: number) => {
    if (!Number.isInteger(v) || v < 0 || v > max)
      throw new PacketError('dhcp', `${name} out of range: ${v}`, 0);
  };
  check('op', p.op, 255);
  check('hops', p.hops, 255);
  check('xid', p.xid, 0xffffffff);
  check('secs', p.secs, 0xffff);
  check('flags', p.flags, 0xffff);
  const out = Buffer.alloc(Math.max(300, length));
  out[0] = p.op;
  out[1] = 1;
  out[2] = 6;
  out[3] = p.hops;
  out.writeUInt32BE(p.xid, 4);
  out.writeUInt16BE(p.secs, 8);
  out.writeUInt16BE(p.flags, 10);
  writeIpv4(out, 12, p.ciaddr);
  writeIpv4(out, 16, p.yiaddr);
  writeIpv4(out, 20, p.siaddr);
  writeIpv4(out, 24, p.giaddr);
  writeMac(out, 28, p.chaddr);
  writeText(out, 44, 64, p.sname, 'sname');
  writeText(out, 108, 128, p.file, 'file');
  out.writeUInt32BE(MAGIC_COOKIE, 236);
  let i = HEADER_LENGTH;
  for (const { code, data } of encoded) {
    out[i] = code;
    out[i + 1] = data.length;
    out.set(data, i + 2);
    i += 2 + data.length;
  }
  out[i] = DhcpOptionCode.END;
  return out;
}

/** Microsoft's pre-standard option for the same routes (Windows clients read it, not 121). */
export const MS_CLASSLESS_STATIC_ROUTES = 249;

/**
 * The RFC 3442 bytes of classless static routes (prefix length, the significant destination
 * octets, the router), for carrying them under another code such as 249.
 */
export function encodeClasslessRoutes(routes: readonly ClasslessRoute[]): Buffer {
  const parts: number[] = [];
  for (const r of routes) {
    if (!Number.isInteger(r.prefixLength) || r.prefixLength < 0 || r.prefixLength > 32)
      throw new PacketError('dhcp', `classless route prefix length ${r.prefixLength}`, 0);
    const dest = Buffer.allocUnsafe(4);
    writeIpv4(dest, 0, r.destination);
    const gw = Buffer.allocUnsafe(4);
    writeIpv4(gw, 0, r.router);
    parts.push(r.prefixLength, ...dest.subarray(0, Math.ceil(r.prefixLength / 8)), ...gw);
  }
  return Buffer.from(parts);
}
