import fc from 'fast-check';
import { LiteralError, parseLiteral } from '../../../src/webapi';

describe('data literals', () => {
  it.each([
    ['[1, 2]', [1, 2]],
    ['(1, 2)', [1, 2]],
    [
      '[(1, 100), (200, 300),]',
      [
        [1, 100],
        [200, 300],
      ],
    ],
    ['{\'a\': True, "b": None, 3: false}', { a: true, b: null, '3': false }],
    ["'it\\'s'", "it's"],
    ['-1.5e3', -1500],
    ['"\\u00e9\\n"', 'é\n'],
    ['()', []],
  ])('parses %s', (text, value) => {
    expect(parseLiteral(text)).toEqual(value);
  });

  it('parses any JSON value the same as JSON.parse (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => {
        const text = JSON.stringify(v);
        // Integers past 2^53 are refused rather than rounded.
        if (/\d{16,}/.test(text)) return;
        expect(parseLiteral(text)).toEqual(JSON.parse(text));
      }),
    );
  });

  it.each([
    ['__import__("os")', /unknown name __import__/],
    ['[1, 2', /expected , or ]/],
    ["'open", /unterminated string/],
    ['{[1]: 2}', /key must be a string or a number/],
    ['1 2', /unexpected text after the value/],
    ['12345678901234567890', /too large to keep exactly/],
    ['['.repeat(100), /nesting deeper than 64/],
  ])('refuses %s', (text, pattern) => {
    expect(() => parseLiteral(text)).toThrow(LiteralError);
    expect(() => parseLiteral(text)).toThrow(pattern);
  });

  it('does not let a key named __proto__ change the prototype', () => {
    const v = parseLiteral('{"__proto__": {"polluted": 1}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(v)).toEqual(['__proto__']);
  });
});
