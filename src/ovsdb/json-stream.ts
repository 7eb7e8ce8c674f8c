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
  /** The current message's bytes seen so far, as the chunk slices they arrived in. */
  private parts: Buffer[] = [];
  private held = 0;
  private inMessage = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private prevByte = 0;
  private digitRun = 0;
  private runStart = 0;
  private runPrev = 0;
  /** [start, end) of integers too long for a double, relative to the message start. */
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

  /** Bytes held back waiting for the rest of a message. */
  get pending(): number {
    return this.held;
  }

  feed(chunk: Buffer, emit: (value: JsonValue) => void): void {
    let segStart = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (!this.inMessage) {
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
        if (c !== 0x7b && c !== 0x5b) {
          throw new ProtocolError(
            this.protocol,
            `a message must be a JSON object or array, found byte 0x${c.toString(16)}`,
            0,
          );
        }
        this.inMessage = true;
        segStart = i;
      }
      const pos = this.held + (i - segStart);
      if (pos >= this.maxBytes)
        throw new ProtocolError(this.protocol, `message larger than ${this.maxBytes} bytes`, pos);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) this.inString = false;
        this.prevByte = c;
        continue;
      }
      if (c >= 0x30 && c <= 0x39) {
        if (this.digitRun++ === 0) {
          this.runStart = pos;
          this.runPrev = this.prevByte;
        }
        this.prevByte = c;
        continue;
      }
      if (this.digitRun > 15) this.noteNumber(pos, c);
      this.digitRun = 0;
      this.prevByte = c;
      if (c === 0x22) this.inString = true;
      else if (c === 0x7b || c === 0x5b) {
        if (++this.depth > this.maxDepth)
          throw new ProtocolError(this.protocol, `nesting deeper than ${this.maxDepth}`, pos);
      } else if ((c === 0x7d || c === 0x5d) && --this.depth === 0) {
        const last = chunk.subarray(segStart, i + 1);
        const bytes = this.parts.length === 0 ? last : Buffer.concat([...this.parts, last]);
        const value = this.parse(bytes);
        this.parts = [];
        this.held = 0;
        this.bigNumbers = [];
        this.inMessage = false;
        emit(value);
      }
    }
    if (this.inMessage) {
      const rest = chunk.subarray(segStart);
      this.parts.push(rest);
      this.held += rest.length;
    }
  }

  /** A run of more than 15 digits ended at `end` (before byte `next`). */
  private noteNumber(end: number, next: number): void {
    // Only integers: a fraction or an exponent means the sender meant a double.
    if (next === 0x2e || next === 0x65 || next === 0x45 || this.runPrev === 0x2e) return;
    this.bigNumbers.push([this.runPrev === 0x2d ? this.runStart - 1 : this.runStart, end]);
  }

  private parse(buf: Buffer): JsonValue {
    let text: string;
    if (this.bigNumbers.length === 0) text = buf.toString('utf8');
    else {
      // Quote the big integers with a marker so the reviver can make them bigints.
      const parts: string[] = [];
      let at = 0;
      for (const [a, b] of this.bigNumbers) {
        parts.push(buf.toString('utf8', at, a), `"\\u0000big:${buf.toString('latin1', a, b)}"`);
        at = b;
      }
      parts.push(buf.toString('utf8', at));
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
