/**
 * Field kinds a struct declaration is made of. Fixed-size scalar fields carry snippets of
 * JavaScript that the struct compiler inlines into one decoder and one encoder per struct
 * (see struct.ts); everything else is a nested Codec.
 */
import type { Ipv4Address } from '../packet/ipv4-address';
import type { Ipv6Address } from '../packet/ipv6-address';
import type { MacAddress } from '../packet/mac-address';

/** A fixed-size scalar: its value type T, and how to read and write it in generated code. */
export interface ScalarField<T> {
  readonly kind: 'scalar';
  readonly size: number;
  /** What the value must be, for encode errors: "an integer 0..65535". */
  readonly expect: string;
  /** An expression reading the value at byte offset `p` of buffer `b` (both are variable names). */
  read(b: string, p: string): string;
  /**
   * Statements writing the value in variable `v` at offset `p` of `b`. They may call
   * `H.fail(ctx, v)` (an EncodeError for the current field) when `v` is out of range.
   */
  write(b: string, p: string, v: string, ctx: string): string;
  /** Phantom: carries T for type inference. */
  readonly __value?: T;
}

/** Skipped on read, zeros on write; not part of the value. */
export interface PadField {
  readonly kind: 'pad';
  readonly size: number;
}

/** A number the struct always holds (a type code); checked on read, not part of the value. */
export interface ConstantField {
  readonly kind: 'constant';
  readonly scalar: ScalarField<number>;
  readonly value: number;
}

/**
 * The struct's own length in bytes, written on encode and checked on decode; not part of
 * the value. Fields after it that read "to the end" stop at the struct's end.
 */
export interface LengthField {
  readonly kind: 'length';
  readonly scalar: ScalarField<number>;
  /** The encoding is zero-padded to a multiple of this many bytes (1: no padding). */
  readonly align: number;
  /** Whether the length counts that padding (actions do; ofp_match does not). */
  readonly includePadding: boolean;
}

/** The byte size of a later field of the same struct; not part of the value. */
export interface SizeOfField {
  readonly kind: 'sizeOf';
  readonly scalar: ScalarField<number>;
  readonly target: string;
}

const uint = (size: 1 | 2 | 4, max: number): ScalarField<number> => ({
  kind: 'scalar',
  size,
  expect: `an integer 0..${max}`,
  read:
    size === 1
      ? (b, p) => `${b}[${p}]`
      : size === 2
        ? (b, p) => `((${b}[${p}] << 8) | ${b}[${p} + 1])`
        : (b, p) =>
            `(((${b}[${p}] << 24) | (${b}[${p} + 1] << 16) | (${b}[${p} + 2] << 8) | ${b}[${p} + 3]) >>> 0)`,
  write: (b, p, v, f) => {
    const check = `if (typeof ${v} !== 'number' || !(${v} >= 0 && ${v} <= ${max}) || ${v} % 1 !== 0) throw H.fail(${f}, ${v});`;
    if (size === 1) return `${check} ${b}[${p}] = ${v};`;
    if (size === 2) return `${check} ${b}[${p}] = ${v} >>> 8; ${b}[${p} + 1] = ${v} & 255;`;
    // Byte stores: the value is checked above, and Buffer#writeUInt32BE would check it again.
    return `${check} ${b}[${p}] = ${v} >>> 24; ${b}[${p} + 1] = (${v} >>> 16) & 255; ${b}[${p} + 2] = (${v} >>> 8) & 255; ${b}[${p} + 3] = ${v} & 255;`;
  },
});

export const u8: ScalarField<number> = uint(1, 0xff);
export const u16: ScalarField<number> = uint(2, 0xffff);
export const u32: ScalarField<number> = uint(4, 0xffffffff);

/** 64-bit unsigned as bigint; the encoder also takes a decimal or 0x string (the JSON form). */
export const u64: ScalarField<bigint> = {
  kind: 'scalar',
  size: 8,
  expect: 'an integer 0..2^64-1 (bigint or decimal string)',
  read: (b, p) => `H.readU64(${b}, ${p})`,
  write: (b, p, v, f) => `H.writeU64(${b}, ${p}, ${v}, ${f});`,
};

export const mac: ScalarField<MacAddress> = {
  kind: 'scalar',
  size: 6,
  expect: 'a MAC address "aa:bb:cc:dd:ee:ff"',
  read: (b, p) => `H.readMac(${b}, ${p})`,
  write: (b, p, v, f) => `H.writeMac(${b}, ${p}, ${v}, ${f});`,
};

export const ipv4: ScalarField<Ipv4Address> = {
  kind: 'scalar',
  size: 4,
  expect: 'an IPv4 address',
  read: (b, p) => `H.readIpv4(${b}, ${p})`,
  write: (b, p, v, f) => `H.writeIpv4(${b}, ${p}, ${v}, ${f});`,
};

export const ipv6: ScalarField<Ipv6Address> = {
  kind: 'scalar',
  size: 16,
  expect: 'an IPv6 address',
  read: (b, p) => `H.readIpv6(${b}, ${p})`,
  write: (b, p, v, f) => `H.writeIpv6(${b}, ${p}, ${v}, ${f});`,
};

/** `n` raw bytes (a view of the decoded buffer); the encoder also takes a hex string. */
export function bytes(n: number): ScalarField<Buffer> {
  return {
    kind: 'scalar',
    size: n,
    expect: `${n} bytes (Buffer or hex string)`,
    read: (b, p) => `${b}.subarray(${p}, ${p} + ${n})`,
    write: (b, p, v, f) => `H.writeBytes(${b}, ${p}, ${v}, ${n}, ${f});`,
  };
}

/** A NUL-padded string in `n` bytes (port names, descriptions); at most n-1 characters. */
export function fixedString(n: number): ScalarField<string> {
  return {
    kind: 'scalar',
    size: n,
    expect: `a string of at most ${n - 1} bytes`,
    read: (b, p) => `H.readString(${b}, ${p}, ${n})`,
    write: (b, p, v, f) => `H.writeString(${b}, ${p}, ${v}, ${n}, ${f});`,
  };
}

export function pad(size: number): PadField {
  return { kind: 'pad', size };
}

export function constant(scalar: ScalarField<number>, value: number): ConstantField {
  return { kind: 'constant', scalar, value };
}

export function length(
  scalar: ScalarField<number>,
  options: { readonly align?: number; readonly includePadding?: boolean } = {},
): LengthField {
  return {
    kind: 'length',
    scalar,
    align: options.align ?? 1,
    includePadding: options.includePadding ?? true,
  };
}

export function sizeOf(scalar: ScalarField<number>, target: string): SizeOfField {
  return { kind: 'sizeOf', scalar, target };
}
