/** Feeding a stream parser bytes cut anywhere: the property tests of every wire parser use these. */
import type { StreamParser } from '../../../src/protocol';

/** Cuts `buf` at the given positions (taken modulo its length + 1, deduplicated, sorted). */
export function cut(buf: Buffer, points: readonly number[]): Buffer[] {
  const cuts = [...new Set(points.map((p) => p % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of cuts) {
    out.push(buf.subarray(prev, c));
    prev = c;
  }
  out.push(buf.subarray(prev));
  return out;
}

/** Every message the chunks make; the parser must hold nothing back at the end. */
export function feedAll<T>(parser: StreamParser<T>, chunks: readonly Buffer[]): T[] {
  const out: T[] = [];
  for (const c of chunks) parser.feed(c, (v) => out.push(v));
  expect(parser.pending).toBe(0);
  return out;
}
