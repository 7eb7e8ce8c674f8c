/**
 * NXAST_NAT, nested in ct(): source or destination NAT to an address/port range. Which range
 * fields are on the wire is a bitmap (range_present); here a field is present or absent.
 */
import type { Writer } from '../codec';
import { DecodeError, EncodeError } from '../codec';
import { IPV4, IPV6 } from '../oxm/value-kind';
import type { Ipv4Address } from '../packet/ipv4-address';
import type { Ipv6Address } from '../packet/ipv6-address';
import { nxCustom } from './custom-action';
import { readU16, writeU16 } from './field-ref';
import { NXAST } from './nx-header';

/** NX_NAT_F_*. */
export const NX_NAT_F = { SRC: 1, DST: 2, PERSISTENT: 4, PROTO_HASH: 8, PROTO_RANDOM: 16 } as const;

export interface NatBody {
  readonly flags: number;
  readonly ipv4Min?: Ipv4Address | undefined;
  readonly ipv4Max?: Ipv4Address | undefined;
  readonly ipv6Min?: Ipv6Address | undefined;
  readonly ipv6Max?: Ipv6Address | undefined;
  readonly protoMin?: number | undefined;
  readonly protoMax?: number | undefined;
}

const NAME = 'nx_action_nat';

/** Range fields in wire order with their range_present bit. */
const RANGES = [
  { key: 'ipv4Min', bit: 1, size: 4 },
  { key: 'ipv4Max', bit: 2, size: 4 },
  { key: 'ipv6Min', bit: 4, size: 16 },
  { key: 'ipv6Max', bit: 8, size: 16 },
  { key: 'protoMin', bit: 16, size: 2 },
  { key: 'protoMax', bit: 32, size: 2 },
] as const;

export const nxNat = nxCustom(NAME, 'nx_nat', NXAST.NAT, {
  minBody: 6,
  decode(b: Buffer, p: number, end: number): NatBody {
    const flags = readU16(b, p + 2);
    const present = readU16(b, p + 4);
    if (present & ~63)
      throw new DecodeError(NAME, `unknown range_present bits 0x${present.toString(16)}`, p + 4);
    const out: Record<string, unknown> = { flags };
    let q = p + 6;
    for (const r of RANGES) {
      if (!(present & r.bit)) continue;
      if (q + r.size > end) throw new DecodeError(NAME, `${r.key} runs past the end`, q);
      out[r.key] = r.size === 4 ? IPV4.read(b, q) : r.size === 16 ? IPV6.read(b, q) : readU16(b, q);
      q += r.size;
    }
    if (end - q >= 8) throw new DecodeError(NAME, 'bytes left over after the ranges', q);
    return out as unknown as NatBody;
  },
  encode(w: Writer, v: NatBody): void {
    if (!Number.isInteger(v.flags) || v.flags < 0 || v.flags > 0xffff)
      throw new EncodeError(NAME, 'flags', `expected an integer 0..65535, got ${String(v.flags)}`);
    const start = w.pos;
    w.ensure(6 + 40);
    writeU16(w.buf, start, 0);
    writeU16(w.buf, start + 2, v.flags);
    let present = 0;
    let q = start + 6;
    const values = v as unknown as Record<string, unknown>;
    for (const r of RANGES) {
      const x = values[r.key];
      if (x === undefined) continue;
      present |= r.bit;
      const ok =
        r.size === 4
          ? IPV4.write(w.buf, q, x)
          : r.size === 16
            ? IPV6.write(w.buf, q, x)
            : typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 0xffff;
      if (!ok) throw new EncodeError(NAME, r.key, `bad value ${String(x)}`);
      if (r.size === 2) writeU16(w.buf, q, x as number);
      q += r.size;
    }
    writeU16(w.buf, start + 4, present);
    w.pos = q;
  },
});
