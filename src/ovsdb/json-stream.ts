/**
 * Cuts a byte stream of concatenated JSON values (OVSDB's JSON-RPC has no delimiter) into
 * values. A scan tracks nesting, strings and escapes to find where each top-level value
 * ends; the slice then goes to JSON.parse. Integers too large for a double (OVSDB integers
 * are 64-bit) are kept exact as bigint.
 */
import { ProtocolError } from '../protocol';

/** A parsed JSON value where big integers are bigint. */
export type JsonValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

export interface JsonStreamLimits {
  /** Largest single message. Default 64 MiB. */
  readonly maxMessageBytes?: number;
  /** Deepest nesting. Default 256. */
  readonly maxDepth?: number;
}

const BIG_MARK = '\u0000big:';

export class JsonStreamParser {
  private buf: Buffer = Buffer.alloc(0);
  /** Scan state, kept between chunks so no byte is scanned twice. */
  private pos = 0;
  private start = -1;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private digitRun = 0;
  private bigNumbers: [number, number][] = [];
  private readonly maxBytes: number;
  private readonly maxDepth: number;

  constructor(
    private readonly protocol: string,
    limits: JsonStreamLimits = {},
  ) {
    this.maxBytes = limits.maxMessageBytes ?? 64 << 20;
    this.maxDepth = limits.maxDepth ?? 256;
  }

  get pending(): number {
    return this.buf.length;
  }

  feed(chunk: Buffer, emit: (value: JsonValue) => void): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const buf = this.buf;
    let consumed = 0;
    for (let i = this.pos; i < buf.length; i++) {
      const c = buf[i]!;
      if (this.start < 0) {
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
          consumed = i + 1;
          continue;
        }
        if (c !== 0x7b && c !== 0x5b) {
          throw new ProtocolError(
            this.protocol,
            `a message must be a JSON object or array, found byte 0x${c.toString(16)}`,
            i - consumed,
          );
        }
        this.start = i;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) this.inString = false;
        continue;
      }
      if (c >= 0x30 && c <= 0x39) {
        this.digitRun++;
        continue;
      }
      if (this.digitRun > 15) this.noteNumber(i);
      this.digitRun = 0;
      if (c === 0x22) this.inString = true;
      else if (c === 0x7b || c === 0x5b) {
        if (++this.depth > this.maxDepth)
          throw new ProtocolError(this.protocol, `nesting deeper than ${this.maxDepth}`, i - this.start);
      } else if (c === 0x7d || c === 0x5d) {
        if (--this.depth === 0) {
          emit(this.parse(buf, this.start, i + 1));
          this.start = -1;
          this.bigNumbers = [];
          consumed = i + 1;
        }
      }
      if (this.start >= 0 && i + 1 - this.start > this.maxBytes) {
        throw new ProtocolError(this.protocol, `message larger than ${this.maxBytes} bytes`, i - this.start);
      }
    }
    // Keep only the unfinished message; positions restart from its first byte.
    const keepFrom = this.start >= 0 ? this.start : consumed;
    if (this.start >= 0 && buf.length - this.start > this.maxBytes) {
      throw new ProtocolError(
        this.protocol,
        `message larger than ${this.maxBytes} bytes`,
        buf.length - this.start,
      );
    }
    this.buf = keepFrom >= buf.length ? Buffer.alloc(0) : buf.subarray(keepFrom);
    this.pos = this.buf.length;
    if (this.start >= 0) {
      this.bigNumbers = this.bigNumbers.map(([a, b]) => [a - keepFrom, b - keepFrom]);
      this.start = 0;
    }
  }

  /** A run of more than 15 digits ended just before `end`: a number a double may not hold. */
  private noteNumber(end: number): void {
    let s = end - this.digitRun;
    if (s > 0 && this.buf[s - 1] === 0x2d) s--;
    // Only integers: a fraction or exponent means the sender meant a double.
    const next = this.buf[end];
    const prev = this.buf[s - 1];
    if (next === 0x2e || next === 0x65 || next === 0x45 || prev === 0x2e) return;
    this.bigNumbers.push([s, end]);
  }

  private parse(buf: Buffer, start: number, end: number): JsonValue {
    let text: string;
    if (this.bigNumbers.length === 0) text = buf.toString('utf8', start, end);
    else {
      // Quote the big integers with a marker so the reviver can make them bigints.
      const parts: string[] = [];
      let at = start;
      for (const [a, b] of this.bigNumbers) {
        parts.push(buf.toString('utf8', at, a), `"\\u0000big:${buf.toString('latin1', a, b)}"`);
        at = b;
      }
      parts.push(buf.toString('utf8', at, end));
      text = parts.join('');
    }
    try {
      return this.bigNumbers.length === 0
        ? (JSON.parse(text) as JsonValue)
        : (JSON.parse(text, reviveBig) as JsonValue);
    } catch (e) {
      throw new ProtocolError(this.protocol, `invalid JSON: ${(e as Error).message}`, 0);
    }
  }
}

function reviveBig(_key: string, v: unknown): unknown {
  if (typeof v === 'string' && v.startsWith(BIG_MARK)) {
    const n = BigInt(v.slice(BIG_MARK.length));
    return Number.isSafeInteger(Number(n)) ? Number(n) : n;
  }
  return v;
}

/** JSON text with bigints written as plain integers. */
export function stringifyJson(value: unknown): string {
  if (!containsBigint(value)) return JSON.stringify(value);
  const marks: string[] = [];
  const text = JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v !== 'bigint') return v;
    marks.push(v.toString());
    return `${BIG_MARK}${marks.length - 1}`;
  });
  return text.replace(/"\\u0000big:(\d+)"/g, (_m, i: string) => marks[Number(i)]!);
}

function containsBigint(v: unknown): boolean {
  if (typeof v === 'bigint') return true;
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some(containsBigint);
  for (const x of Object.values(v)) if (containsBigint(x)) return true;
  return false;
}
