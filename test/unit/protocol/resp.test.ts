import fc from 'fast-check';
import { ProtocolError, RespParser, type RespValue, respToPlain, serializeResp } from '../../../src/protocol';
import { cut, feedAll } from './chunks';

const text = fc.string({ unit: 'grapheme-ascii', maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, ''));
const bytes = fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a));
const bigint64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });

const respValue: fc.Arbitrary<RespValue> = fc.letrec<{ value: RespValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ type: fc.constant('simple' as const), value: text }),
    fc.record({ type: fc.constant('error' as const), value: text }),
    fc.record({ type: fc.constant('integer' as const), value: bigint64 }),
    fc.record({ type: fc.constant('bulk' as const), value: fc.option(bytes, { nil: null }) }),
    fc.record({
      type: fc.constant('array' as const),
      value: fc.option(fc.array(tie('value'), { maxLength: 4 }), { nil: null }),
    }),
    fc.constant({ type: 'null' as const }),
    fc.record({ type: fc.constant('boolean' as const), value: fc.boolean() }),
    fc.record({ type: fc.constant('double' as const), value: fc.double() }),
    fc.record({
      type: fc.constant('bignum' as const),
      value: fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
    }),
    fc.record({ type: fc.constant('bulkError' as const), value: bytes }),
    fc.record({
      type: fc.constant('verbatim' as const),
      format: fc.constantFrom('txt', 'mkd'),
      value: bytes,
    }),
    fc.record({
      type: fc.constant('map' as const),
      value: fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 3 }),
    }),
    fc.record({ type: fc.constant('set' as const), value: fc.array(tie('value'), { maxLength: 4 }) }),
    fc.record({
      type: fc.constant('attribute' as const),
      attributes: fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 2 }),
      value: tie('value'),
    }),
    fc.record({ type: fc.constant('push' as const), value: fc.array(tie('value'), { maxLength: 4 }) }),
  ),
})).value;

function parseAll(chunks: readonly Buffer[]): RespValue[] {
  return feedAll(new RespParser(), chunks);
}

describe('RESP', () => {
  it('serialize then parse is the identity, however the bytes are chunked (property)', () => {
    fc.assert(
      fc.property(
        fc.array(respValue, { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (values, points) => {
          const wire = Buffer.concat(values.map(serializeResp));
          expect(parseAll([wire])).toEqual(values);
          expect(parseAll(cut(wire, points))).toEqual(values);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('parses the same when fed one byte at a time', () => {
    fc.assert(
      fc.property(respValue, (v) => {
        const wire = serializeResp(v);
        const chunks = [...wire].map((b) => Buffer.from([b]));
        expect(parseAll(chunks)).toEqual([v]);
      }),
      { numRuns: 200 },
    );
  });

  it('reads the wire forms Redis documents', () => {
    const wire = Buffer.from(
      '+OK\r\n-ERR bad\r\n:-42\r\n$5\r\nhello\r\n$-1\r\n*-1\r\n*2\r\n:1\r\n$0\r\n\r\n_\r\n#t\r\n,1.5e3\r\n,inf\r\n(3492890328409238509324850943850943825024385\r\n!3\r\nbad\r\n=15\r\ntxt:Some string\r\n%1\r\n+k\r\n:1\r\n~1\r\n+a\r\n|1\r\n+ttl\r\n:3\r\n+v\r\n>2\r\n+message\r\n+hi\r\n',
    );
    const v = parseAll([wire]);
    expect(v.map((x) => x.type)).toEqual([
      'simple',
      'error',
      'integer',
      'bulk',
      'bulk',
      'array',
      'array',
      'null',
      'boolean',
      'double',
      'double',
      'bignum',
      'bulkError',
      'verbatim',
      'map',
      'set',
      'attribute',
      'push',
    ]);
    expect(respToPlain(v[2]!)).toBe(-42n);
    expect(respToPlain(v[3]!)).toBe('hello');
    expect(v[4]).toEqual({ type: 'bulk', value: null });
    expect(respToPlain(v[9]!)).toBe(1500);
    expect(v[11]).toEqual({ type: 'bignum', value: 3492890328409238509324850943850943825024385n });
    expect(v[13]).toEqual({ type: 'verbatim', format: 'txt', value: Buffer.from('Some string') });
    expect(() => respToPlain(v[1]!)).toThrow('ERR bad');
  });

  it.each([
    ['unknown type byte', '?oops\r\n', /unknown type byte 0x3f/],
    ['bad integer', ':12a\r\n', /"12a" is not an integer/],
    ['CR without LF', '+OK\rX\r\n', /CR not followed by LF/],
    ['bulk without CRLF', '$3\r\nabcde\r\n', /not followed by CRLF/],
    ['negative length', '$-5\r\n', /negative/],
    ['bad boolean', '#x\r\n', /neither t nor f/],
    ['bad double', ',1.2.3\r\n', /not a number/],
    ['null with data', '_x\r\n', /null carries data/],
  ])('rejects %s with a ProtocolError naming the problem', (_name, input, pattern) => {
    const p = new RespParser();
    expect(() => p.feed(Buffer.from(input), () => undefined)).toThrow(ProtocolError);
    expect(() => new RespParser().feed(Buffer.from(input), () => undefined)).toThrow(pattern);
  });

  it('enforces its limits', () => {
    expect(() => new RespParser({ maxBulkBytes: 10 }).feed(Buffer.from('$11\r\n'), () => undefined)).toThrow(
      /exceeds the limit 10/,
    );
    expect(() =>
      new RespParser({ maxDepth: 3 }).feed(Buffer.from('*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n'), () => undefined),
    ).toThrow(/nesting deeper than 3/);
    expect(() =>
      new RespParser({ maxLineBytes: 8 }).feed(Buffer.from('+0123456789abcdef'), () => undefined),
    ).toThrow(/line too long/);
  });

  it('waits for a large bulk string without reparsing every chunk', () => {
    const payload = Buffer.alloc(1 << 20, 7);
    const wire = serializeResp({ type: 'bulk', value: payload });
    const p = new RespParser();
    const got: RespValue[] = [];
    for (let i = 0; i < wire.length; i += 1000) p.feed(wire.subarray(i, i + 1000), (v) => got.push(v));
    expect(got).toHaveLength(1);
    expect((got[0] as { value: Buffer }).value.equals(payload)).toBe(true);
  });

  it('never throws anything but ProtocolError on random bytes (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (a) => {
        try {
          new RespParser({ maxBulkBytes: 1 << 16 }).feed(Buffer.from(a), () => undefined);
        } catch (e) {
          expect(e).toBeInstanceOf(ProtocolError);
        }
      }),
      { numRuns: 5000 },
    );
  });
});
