/**
 * Incremental RESP2/RESP3 parser. Bytes that do not yet make a whole value are kept; when
 * the missing size is known (a bulk string's length), parsing is not retried until that many
 * bytes are there, so a large value arriving in many chunks costs one parse, not one per chunk.
 */
import { ProtocolError } from '../errors';
import type { StreamParser } from '../protocol';
import type { RespPair, RespValue } from './value';

export interface RespLimits {
  /** Largest bulk string / verbatim / bulk error. Default 512 MiB (Redis' proto-max-bulk-len). */
  readonly maxBulkBytes?: number;
  /** Deepest nesting of aggregates. Default 64. */
  readonly maxDepth?: number;
  /** Longest header or simple line without CRLF. Default 64 KiB. */
  readonly maxLineBytes?: number;
}

/** Thrown inside the parser when the buffer ends mid-value; `need` is a lower bound on bytes. */
class Incomplete {
  constructor(readonly need: number) {}
}

const INTEGER = /^-?\d+$/;
const DOUBLE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export class RespParser implements StreamParser<RespValue> {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private need = 0;
  readonly maxBulk: number;
  readonly maxDepth: number;
  readonly maxLine: number;

  constructor(limits: RespLimits = {}) {
    this.maxBulk = limits.maxBulkBytes ?? 512 * 1024 * 1024;
    this.maxDepth = limits.maxDepth ?? 64;
    this.maxLine = limits.maxLineBytes ?? 64 * 1024;
  }

  get pending(): number {
    return this.buffered;
  }

  feed(chunk: Buffer, emit: (message: RespValue) => void): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered < this.need) return;
    let buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
    let pos = 0;
    try {
      while (pos < buf.length) {
        const r = new Reader(buf, pos, this);
        const v = r.value(0);
        pos = r.pos;
        emit(v);
      }
      this.need = 0;
    } catch (e) {
      if (!(e instanceof Incomplete)) throw e;
      this.need = e.need - pos;
    }
    buf = pos === 0 ? buf : buf.subarray(pos);
    this.chunks = buf.length > 0 ? [buf] : [];
    this.buffered = buf.length;
  }
}

class Reader {
  private readonly start: number;
  constructor(
    private readonly buf: Buffer,
    public pos: number,
    private readonly parser: RespParser,
  ) {
    this.start = pos;
  }

  private fail(detail: string, at = this.pos): never {
    throw new ProtocolError('resp', detail, at - this.start);
  }

  private line(): string {
    const { buf } = this;
    const cr = buf.indexOf(13, this.pos);
    if (cr < 0 || cr + 1 >= buf.length) {
      if (buf.length - this.pos > this.parser.maxLine) this.fail('line too long without CRLF');
      throw new Incomplete(buf.length + 1);
    }
    if (buf[cr + 1] !== 10) this.fail('CR not followed by LF', cr);
    const text = buf.toString('utf8', this.pos, cr);
    this.pos = cr + 2;
    return text;
  }

  private integerLine(what: string): bigint {
    const at = this.pos;
    const text = this.line();
    if (!INTEGER.test(text)) this.fail(`${what} "${text.slice(0, 40)}" is not an integer`, at);
    return BigInt(text);
  }

  private length(what: string, allowNull: boolean): number {
    const at = this.pos;
    const n = this.integerLine(what);
    if (n === -1n && allowNull) return -1;
    if (n < 0n) this.fail(`${what} ${n} is negative`, at);
    if (n > BigInt(this.parser.maxBulk))
      this.fail(`${what} ${n} exceeds the limit ${this.parser.maxBulk}`, at);
    return Number(n);
  }

  private bytes(n: number): Buffer {
    const end = this.pos + n;
    if (end + 2 > this.buf.length) throw new Incomplete(end + 2);
    if (this.buf[end] !== 13 || this.buf[end + 1] !== 10) this.fail('bulk data not followed by CRLF', end);
    const b = Buffer.from(this.buf.subarray(this.pos, end));
    this.pos = end + 2;
    return b;
  }

  private values(n: number, depth: number): RespValue[] {
    const out: RespValue[] = [];
    for (let i = 0; i < n; i++) out.push(this.value(depth + 1));
    return out;
  }

  private pairs(n: number, depth: number): RespPair[] {
    const out: RespPair[] = [];
    for (let i = 0; i < n; i++) out.push([this.value(depth + 1), this.value(depth + 1)]);
    return out;
  }

  value(depth: number): RespValue {
    if (depth > this.parser.maxDepth) this.fail(`nesting deeper than ${this.parser.maxDepth}`);
    if (this.pos >= this.buf.length) throw new Incomplete(this.pos + 1);
    const at = this.pos;
    const tag = this.buf[this.pos++]!;
    switch (tag) {
      case 0x2b /* + */:
        return { type: 'simple', value: this.line() };
      case 0x2d /* - */:
        return { type: 'error', value: this.line() };
      case 0x3a /* : */:
        return { type: 'integer', value: this.integerLine('integer') };
      case 0x28 /* ( */:
        return { type: 'bignum', value: this.integerLine('big number') };
      case 0x24 /* $ */:
        {
          const n = this.length('bulk length', true);
          return { type: 'bulk', value: n < 0 ? null : this.bytes(n) };
        }
      case 0x21 /* ! */:
        return { type: 'bulkError', value: this.bytes(this.length('bulk error length', false)) };
      case 0x3d /* = */:
        {
          const n = this.length('verbatim length', false);
          if (n < 4) this.fail(`verbatim length ${n} is shorter than its "fmt:" prefix`, at);
          const b = this.bytes(n);
          if (b[3] !== 0x3a) this.fail('verbatim string lacks the "fmt:" prefix', at);
          return { type: 'verbatim', format: b.toString('latin1', 0, 3), value: b.subarray(4) };
        }
      case 0x2a /* * */:
        {
          const n = this.length('array length', true);
          return { type: 'array', value: n < 0 ? null : this.values(n, depth) };
        }
      case 0x7e /* ~ */:
        return { type: 'set', value: this.values(this.length('set length', false), depth) };
      case 0x3e /* > */:
        return { type: 'push', value: this.values(this.length('push length', false), depth) };
      case 0x25 /* % */:
        return { type: 'map', value: this.pairs(this.length('map length', false), depth) };
      case 0x7c /* | */:
        {
          const attributes = this.pairs(this.length('attribute length', false), depth);
          return { type: 'attribute', attributes, value: this.value(depth + 1) };
        }
      case 0x5f /* _ */:
        if (this.line() !== '') this.fail('null carries data', at);
        return { type: 'null' };
      case 0x23 /* # */:
        {
          const t = this.line();
          if (t !== 't' && t !== 'f') this.fail(`boolean "${t.slice(0, 10)}" is neither t nor f`, at);
          return { type: 'boolean', value: t === 't' };
        }
      case 0x2c /* , */:
        {
          const t = this.line();
          const lower = t.toLowerCase();
          if (lower === 'inf' || lower === '+inf') return { type: 'double', value: Infinity };
          if (lower === '-inf') return { type: 'double', value: -Infinity };
          if (lower === 'nan') return { type: 'double', value: Number.NaN };
          if (!DOUBLE.test(t)) this.fail(`double "${t.slice(0, 40)}" is not a number`, at);
          return { type: 'double', value: Number(t) };
        }
      default:
        return this.fail(`unknown type byte 0x${tag.toString(16).padStart(2, '0')}`, at);
    }
  }
}
