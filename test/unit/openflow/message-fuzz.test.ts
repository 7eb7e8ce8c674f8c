/**
 * 100,000 hostile byte strings through `decodeMessage` (both registered versions): mutations
 * of valid OpenFlow 1.0 and 1.3 messages (byte edits, truncations, wrong header and inner
 * lengths, splices, inserted and deleted bytes) and random bytes. Each either decodes or
 * throws a DecodeError naming a struct and an offset inside the input — never another
 * exception, and never a hang (the whole run is a few seconds of decoding).
 * Deterministic: FUZZ_SEED picks another run; a failure prints the seed, the case number and
 * the bytes.
 */
import fc from 'fast-check';
import { DecodeError } from '../../../src/openflow/codec';
import { decodeMessage, encodeMessage } from '../../../src/openflow/messages';
import type { Ofp10Message } from '../../../src/openflow/v10/message';
import type { Ofp13Message } from '../../../src/openflow/v13/message';
import { anyMessage as any10 } from './v10/arbitraries';
import { anyMessage as any13 } from './v13/arbitraries';

const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const CASES = 100_000;
const CORPUS_PER_VERSION = 300;

/** A small seeded generator (mulberry32): the cases depend on SEED alone. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function corpus(): Buffer[] {
  const m13 = fc.sample(any13, { seed: SEED, numRuns: CORPUS_PER_VERSION }) as Ofp13Message[];
  const m10 = fc.sample(any10, { seed: SEED + 1, numRuns: CORPUS_PER_VERSION }) as Ofp10Message[];
  return [
    ...m13.map((message) => encodeMessage({ version: 0x04, message })),
    ...m10.map((message) => encodeMessage({ version: 0x01, message })),
  ];
}

/** Sets the header's length to the buffer's, so the damage is inside the message. */
function fixLength(b: Buffer): Buffer {
  if (b.length >= 4) b.writeUInt16BE(Math.min(b.length, 0xffff), 2);
  return b;
}

type Mutation = (valid: readonly Buffer[], rnd: () => number) => Buffer;

const int = (rnd: () => number, n: number) => Math.floor(rnd() * n);
const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[int(rnd, xs.length)]!;
const randomBytes = (rnd: () => number, n: number) =>
  Buffer.from(Array.from({ length: n }, () => int(rnd, 256)));
/** Values that make length fields lie in interesting ways. */
const LENGTHS = [0, 1, 4, 7, 8, 9, 15, 16, 24, 0x7fff, 0xfff8, 0xffff];

const MUTATIONS: readonly (readonly [string, Mutation])[] = [
  [
    'byte edits',
    (v, rnd) => {
      const b = Buffer.from(pick(rnd, v));
      for (let k = 1 + int(rnd, 6); k > 0; k--) b[int(rnd, b.length)] = int(rnd, 256);
      return b;
    },
  ],
  [
    'byte edits, header length kept true',
    (v, rnd) => {
      const b = Buffer.from(pick(rnd, v));
      for (let k = 1 + int(rnd, 4); k > 0; k--) {
        const at = 8 + int(rnd, Math.max(1, b.length - 8));
        if (at < b.length) b[at] = int(rnd, 256);
      }
      return b;
    },
  ],
  [
    'a 16-bit field set to a lying length',
    (v, rnd) => {
      const b = Buffer.from(pick(rnd, v));
      const at = 4 + 2 * int(rnd, Math.max(1, (b.length - 5) >> 1));
      if (at + 2 <= b.length) b.writeUInt16BE(pick(rnd, LENGTHS), at);
      return b;
    },
  ],
  ['truncated', (v, rnd) => Buffer.from(pick(rnd, v).subarray(0, int(rnd, pick(rnd, v).length)))],
  [
    'truncated, header length fixed',
    (v, rnd) => {
      const src = pick(rnd, v);
      return fixLength(Buffer.from(src.subarray(0, int(rnd, src.length))));
    },
  ],
  [
    'header length rewritten',
    (v, rnd) => {
      const b = Buffer.from(pick(rnd, v));
      b.writeUInt16BE(rnd() < 0.5 ? pick(rnd, LENGTHS) : int(rnd, 0x10000), 2);
      return b;
    },
  ],
  [
    'extra bytes appended',
    (v, rnd) => fixLength(Buffer.concat([pick(rnd, v), randomBytes(rnd, 1 + int(rnd, 24))])),
  ],
  [
    'bytes inserted or deleted inside',
    (v, rnd) => {
      const src = pick(rnd, v);
      const at = 8 + int(rnd, Math.max(1, src.length - 8));
      const tail = rnd() < 0.5 ? src.subarray(Math.min(src.length, at + 1 + int(rnd, 8))) : src.subarray(at);
      const middle = tail.length === src.length - at ? randomBytes(rnd, 1 + int(rnd, 8)) : Buffer.alloc(0);
      return fixLength(Buffer.concat([src.subarray(0, at), middle, tail]));
    },
  ],
  [
    'two messages spliced',
    (v, rnd) => {
      const a = pick(rnd, v);
      const b = pick(rnd, v);
      return fixLength(
        Buffer.concat([a.subarray(0, int(rnd, a.length + 1)), b.subarray(int(rnd, b.length + 1))]),
      );
    },
  ],
  [
    'message type swapped',
    (v, rnd) => {
      const b = Buffer.from(pick(rnd, v));
      b[1] = int(rnd, 36);
      return b;
    },
  ],
  [
    'random body behind a plausible header',
    (_v, rnd) => {
      const b = randomBytes(rnd, 8 + int(rnd, 200));
      b[0] = rnd() < 0.5 ? 0x04 : 0x01;
      b[1] = int(rnd, 36);
      return fixLength(b);
    },
  ],
  ['random bytes', (_v, rnd) => randomBytes(rnd, int(rnd, 120))],
];

/** 'decoded', 'rejected' (a proper DecodeError), or what else went wrong. */
function outcome(bytes: Buffer): string {
  try {
    decodeMessage(bytes);
    return 'decoded';
  } catch (e) {
    if (!(e instanceof DecodeError))
      return `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
    if (!/\w/.test(e.struct)) return `DecodeError without a struct name: ${e.message}`;
    if (!(e.offset >= 0 && e.offset <= bytes.length))
      return `DecodeError offset ${e.offset} outside the ${bytes.length} input bytes: ${e.message}`;
    return 'rejected';
  }
}

describe('decodeMessage on 100,000 hostile inputs', () => {
  it('the seed corpus is valid: every message decodes', () => {
    for (const b of corpus()) expect(outcome(b)).toBe('decoded');
  });

  it('mutated and random bytes decode or throw DecodeError', () => {
    const valid = corpus();
    const rnd = prng(SEED);
    const failures: string[] = [];
    let decoded = 0;
    const started = Date.now();
    for (let i = 0; i < CASES; i++) {
      const [name, mutate] = MUTATIONS[i % MUTATIONS.length]!;
      const bytes = mutate(valid, rnd);
      const o = outcome(bytes);
      if (o === 'decoded') decoded++;
      else if (o !== 'rejected' && failures.length < 5) {
        failures.push(`case ${i} (${name}): ${o}\n  bytes: ${bytes.toString('hex')}`);
      }
    }
    if (failures.length > 0) {
      throw new Error(`FUZZ_SEED=${SEED}: ${failures.length}+ bad outcomes\n${failures.join('\n')}`);
    }
    // Informational: how many inputs were still valid messages, and how long the run took.
    process.stdout.write(
      `message-fuzz seed ${SEED}: ${CASES} cases, ${decoded} still decode, ${Date.now() - started} ms\n`,
    );
  });
});
