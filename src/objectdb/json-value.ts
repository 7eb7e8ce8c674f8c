/** Values are JSON documents; encoding checks them strictly instead of letting JSON.stringify drop data. */
import { InvalidValueError, ValueTooLargeError } from './errors';

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;
export interface JsonObject {
  readonly [field: string]: JsonValue;
}

export const DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;

/** Serialises `value` for `key`, or throws a typed error naming the first bad place. */
export function encodeValue(key: string, value: unknown, maxBytes: number): string {
  check(key, value, '', new Set());
  const text = JSON.stringify(value);
  const bytes = Buffer.byteLength(text);
  if (bytes > maxBytes) throw new ValueTooLargeError(key, bytes, maxBytes);
  return text;
}

export function decodeValue(text: string | null): JsonValue | null {
  return text === null ? null : (JSON.parse(text) as JsonValue);
}

function check(key: string, value: unknown, path: string, ancestors: Set<object>): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidValueError(key, path, `${value} is not a finite number`);
      return;
    case 'undefined':
      throw new InvalidValueError(key, path, 'undefined (use null or leave the field out)');
    case 'bigint':
      throw new InvalidValueError(key, path, 'bigint (store 64-bit values as decimal or hex strings)');
    case 'function':
    case 'symbol':
      throw new InvalidValueError(key, path, `a ${typeof value} is not data`);
    case 'object': {
      if (value === null) return;
      if (ancestors.has(value)) throw new InvalidValueError(key, path, 'cycle: the value contains itself');
      ancestors.add(value);
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) throw new InvalidValueError(key, `${path}/${i}`, 'hole in array');
          check(key, value[i], `${path}/${i}`, ancestors);
        }
      } else {
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) {
          const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'unknown';
          throw new InvalidValueError(key, path, `${name} instance is not a plain object`);
        }
        for (const [field, v] of Object.entries(value)) check(key, v, `${path}/${field}`, ancestors);
      }
      ancestors.delete(value);
      return;
    }
  }
}
