/**
 * Functions the generated decoders and encoders call (as `H.*`) for the field kinds that
 * are not a few byte operations, and for errors that name the struct and field.
 */
import { type Ipv4Address, isIpv4, readIpv4, writeIpv4 } from '../packet/ipv4-address';
import { type Ipv6Address, parseIpv6Address, readIpv6, writeIpv6 } from '../packet/ipv6-address';
import { type MacAddress, readMac, writeMac } from '../packet/mac-address';
import { DecodeError, EncodeError, truncated } from './errors';

/** Which field a generated encoder is writing, for its errors. */
export interface FieldContext {
  readonly struct: string;
  readonly field: string;
  readonly expect: string;
}

function describe(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (Buffer.isBuffer(v)) return `${v.length} bytes`;
  return String(v);
}

const U64_MAX = (1n << 64n) - 1n;
const U32_MAX = 0xffff_ffffn;
const HEX_RE = /^([0-9a-fA-F]{2})*$/;

export const H = {
  fail(ctx: FieldContext, v: unknown): EncodeError {
    return new EncodeError(ctx.struct, ctx.field, `expected ${ctx.expect}, got ${describe(v)}`);
  },
  truncated,
  decodeError(struct: string, detail: string, offset: number): DecodeError {
    return new DecodeError(struct, detail, offset);
  },
  u64(v: unknown, ctx: FieldContext): bigint {
    let x: bigint;
    if (typeof v === 'bigint') x = v;
    else if (typeof v === 'string' && /^(0x[0-9a-fA-F]+|\d+)$/.test(v)) x = BigInt(v);
    else if (typeof v === 'number' && Number.isSafeInteger(v)) x = BigInt(v);
    else throw H.fail(ctx, v);
    if (x < 0n || x > U64_MAX) throw H.fail(ctx, v);
    return x;
  },
  /**
   * Big-endian u64 as two 32-bit words: cookies, masks and counters are mostly below 2^32,
   * where one BigInt(lo) replaces readBigUInt64BE's two conversions, a shift and an add.
   * The caller has checked the bounds.
   */
  readU64(b: Buffer, p: number): bigint {
    const hi = ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
    const lo = ((b[p + 4]! << 24) | (b[p + 5]! << 16) | (b[p + 6]! << 8) | b[p + 7]!) >>> 0;
    return hi === 0 ? BigInt(lo) : (BigInt(hi) << 32n) | BigInt(lo);
  },
  /** Writes a u64 (validated as H.u64) as two 32-bit words (room ensured by the caller). */
  writeU64(b: Buffer, p: number, v: unknown, ctx: FieldContext): void {
    const x = typeof v === 'bigint' && v >= 0n && v <= U32_MAX ? v : H.u64(v, ctx);
    const hi = x <= U32_MAX ? 0 : Number(x >> 32n);
    const lo = x <= U32_MAX ? Number(x) : Number(x & U32_MAX);
    b[p] = hi >>> 24;
    b[p + 1] = (hi >>> 16) & 255;
    b[p + 2] = (hi >>> 8) & 255;
    b[p + 3] = hi & 255;
    b[p + 4] = lo >>> 24;
    b[p + 5] = (lo >>> 16) & 255;
    b[p + 6] = (lo >>> 8) & 255;
    b[p + 7] = lo & 255;
  },
  readMac,
  writeMac(b: Buffer, p: number, v: unknown, ctx: FieldContext): void {
    if (typeof v !== 'string') throw H.fail(ctx, v);
    try {
      writeMac(b, p, v.toLowerCase() as MacAddress);
    } catch {
      throw H.fail(ctx, v);
    }
  },
  readIpv4,
  writeIpv4(b: Buffer, p: number, v: unknown, ctx: FieldContext): void {
    if (typeof v !== 'string' || !isIpv4(v)) throw H.fail(ctx, v);
    writeIpv4(b, p, v as Ipv4Address);
  },
  readIpv6,
  writeIpv6(b: Buffer, p: number, v: unknown, ctx: FieldContext): void {
    if (typeof v !== 'string') throw H.fail(ctx, v);
    let ip: Ipv6Address;
    try {
      ip = parseIpv6Address(v);
    } catch {
      throw H.fail(ctx, v);
    }
    writeIpv6(b, p, ip);
  },
  /** Bytes given as a Buffer/Uint8Array, or a hex string (the JSON form). */
  toBytes(v: unknown, ctx: FieldContext): Uint8Array {
    if (v instanceof Uint8Array) return v;
    if (typeof v === 'string' && HEX_RE.test(v)) return Buffer.from(v, 'hex');
    throw H.fail(ctx, v);
  },
  writeBytes(b: Buffer, p: number, v: unknown, n: number, ctx: FieldContext): void {
    const data = H.toBytes(v, ctx);
    if (data.length !== n) throw H.fail(ctx, v);
    b.set(data, p);
  },
  readString(b: Buffer, p: number, n: number): string {
    let e = p;
    const max = p + n;
    while (e < max && b[e] !== 0) e++;
    return b.toString('utf8', p, e);
  },
  writeString(b: Buffer, p: number, v: unknown, n: number, ctx: FieldContext): void {
    if (typeof v !== 'string') throw H.fail(ctx, v);
    const len = Buffer.byteLength(v);
    // One byte is kept for the terminating NUL, as the C structs expect.
    if (len >= n) throw H.fail(ctx, v);
    b.write(v, p, 'utf8');
    b.fill(0, p + len, p + n);
  },
};

export type Helpers = typeof H;
