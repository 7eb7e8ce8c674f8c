import fc from 'fast-check';
import {
  datumFromWire,
  datumToWire,
  JsonStreamParser,
  type JsonValue,
  stringifyJson,
  uuid,
} from '../../../src/ovsdb';
import { ProtocolError } from '../../../src/protocol';
import { cut, feedAll } from '../protocol/chunks';

function parseChunks(chunks: readonly Buffer[], limits = {}): JsonValue[] {
  return feedAll(new JsonStreamParser('ovsdb', limits), chunks);
}

const bigint64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n });
const jsonWithBig: fc.Arbitrary<JsonValue> = fc.letrec<{ v: JsonValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc
      .double({ noNaN: true, noDefaultInfinity: true })
      // A whole number past 2^53 written without a fraction is an OVSDB integer: bigint.
      .filter((d) => !Number.isInteger(d) || Number.isSafeInteger(d))
      .map((d) => (Object.is(d, -0) ? 0 : d)),
    fc.integer(),
    bigint64.map((b) => (Number.isSafeInteger(Number(b)) ? Number(b) : b)),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('v'), { maxKeys: 4 }),
  ),
})).v;
const message = fc.oneof(
  fc.array(jsonWithBig, { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 6 }), jsonWithBig, { maxKeys: 4 }),
);

describe('JSON stream', () => {
  it('splits concatenated messages however they are chunked, keeping 64-bit integers exact (property)', () => {
    fc.assert(
      fc.property(
        fc.array(message, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (msgs, points) => {
          const wire = Buffer.from(msgs.map((m) => `${stringifyJson(m)}\n`).join(''));
          expect(parseChunks(cut(wire, points))).toEqual(msgs);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('agrees with JSON.parse on plain JSON', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 5 }), (v) => {
        const text = JSON.stringify(v);
        if (/\d{16,}/.test(text)) return;
        expect(parseChunks([Buffer.from(text)])).toEqual([JSON.parse(text)]);
      }),
    );
  });

  it('keeps 2^64-1 exact and leaves doubles and strings of digits alone', () => {
    const [v] = parseChunks([
      Buffer.from(
        '{"a":18446744073709551615,"b":1234567890123456789.5,"c":"12345678901234567890","d":-9223372036854775808}',
      ),
    ]);
    expect(v).toEqual({
      a: 18446744073709551615n,
      b: Number('1234567890123456789.5'),
      c: '12345678901234567890',
      d: -9223372036854775808n,
    });
  });

  it('handles a large message in many small chunks', () => {
    const big = { rows: Array.from({ length: 20000 }, (_, i) => ({ name: `port${i}`, ofport: i })) };
    const wire = Buffer.from(JSON.stringify(big));
    const chunks: Buffer[] = [];
    for (let i = 0; i < wire.length; i += 4096) chunks.push(wire.subarray(i, i + 4096));
    expect(parseChunks(chunks)).toEqual([big]);
  });

  it.each([
    ['a bare number', '42 ', /must be a JSON object or array/],
    ['invalid JSON', '{"a": tru}', /invalid JSON/],
    ['too deep', '['.repeat(300), /nesting deeper than 256/],
  ])('refuses %s with a ProtocolError', (_n, text, pattern) => {
    const p = new JsonStreamParser('ovsdb');
    expect(() => p.feed(Buffer.from(text), () => undefined)).toThrow(ProtocolError);
    expect(() => new JsonStreamParser('ovsdb').feed(Buffer.from(text), () => undefined)).toThrow(pattern);
  });

  it('refuses a message over the size limit before it is complete', () => {
    const p = new JsonStreamParser('ovsdb', { maxMessageBytes: 1000 });
    expect(() => p.feed(Buffer.from(`["${'x'.repeat(2000)}`), () => undefined)).toThrow(
      /larger than 1000 bytes/,
    );
  });
});

describe('OVSDB data', () => {
  it('converts atoms, sets and maps both ways', () => {
    const wire: JsonValue = [
      'map',
      [
        ['iface-id', 'lp1'],
        ['attached-mac', '02:00:00:00:00:01'],
      ],
    ];
    const d = datumFromWire(wire);
    expect(d).toEqual(
      new Map([
        ['iface-id', 'lp1'],
        ['attached-mac', '02:00:00:00:00:01'],
      ]),
    );
    expect(datumToWire(d)).toEqual(wire);
    expect(
      datumFromWire([
        'set',
        [
          ['uuid', 'a'],
          ['uuid', 'b'],
        ],
      ]),
    ).toEqual([uuid('a'), uuid('b')]);
    expect(datumToWire([uuid('a')])).toEqual(['set', [['uuid', 'a']]]);
  });

  it('uses the column type to give sets one shape', () => {
    const ports = { key: 'uuid', min: 0, max: Number.POSITIVE_INFINITY };
    expect(datumFromWire(['uuid', 'only'], ports)).toEqual([uuid('only')]);
    const optional = { key: 'integer', min: 0, max: 1 };
    expect(datumFromWire(['set', []], optional)).toEqual([]);
    expect(datumFromWire(5, optional)).toEqual([5]);
    expect(datumFromWire(['set', [5]], { key: 'integer', min: 1, max: 1 })).toBe(5);
  });

  it('refuses what is not OVSDB data', () => {
    expect(() => datumFromWire({ a: 1 } as JsonValue, undefined, 'Bridge.name')).toThrow(
      /Bridge.name: .* is not an atom/,
    );
    expect(() => datumFromWire(['map', [[1]]])).toThrow(/bad map pair/);
  });
});
