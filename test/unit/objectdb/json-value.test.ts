import fc from 'fast-check';
import { InvalidValueError, ValueTooLargeError } from '../../../src/objectdb';
import { decodeValue, encodeValue } from '../../../src/objectdb/json-value';

test('property: every JSON value round-trips unchanged', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (v) => {
      expect(decodeValue(encodeValue('k', v, 1 << 20))).toEqual(JSON.parse(JSON.stringify(v)));
    }),
  );
});

test('errors name the path of the first bad place', () => {
  const err = (() => {
    try {
      encodeValue('net.1', { ports: [{ mac: 'x' }, { mac: Number.NaN }] }, 1000);
    } catch (e) {
      return e;
    }
  })() as InvalidValueError;
  expect(err).toBeInstanceOf(InvalidValueError);
  expect(err.path).toBe('/ports/1/mac');
  expect(err.message).toContain('net.1');
});

test('a shared (non-cyclic) sub-object is fine; a cycle is not', () => {
  const shared = { a: 1 };
  expect(encodeValue('k', { x: shared, y: shared }, 1000)).toBe('{"x":{"a":1},"y":{"a":1}}');
  const cyc: { self?: unknown } = {};
  cyc.self = [cyc];
  expect(() => encodeValue('k', cyc, 1000)).toThrow(InvalidValueError);
});

test('the size limit counts UTF-8 bytes', () => {
  expect(() => encodeValue('k', 'é'.repeat(6), 13)).toThrow(ValueTooLargeError);
  expect(encodeValue('k', 'é'.repeat(6), 14)).toBe(`"${'é'.repeat(6)}"`);
});
