/** Keys name objects: dotted names such as `viperflow.logicalnetwork.<id>`. */
import { InvalidKeyError } from './errors';

export type Key = string & { readonly __brand: 'ObjectDbKey' };

const MAX_KEY_LENGTH = 512;
// Printable ASCII without spaces; backends embed keys in paths and Redis key names.
const KEY_PATTERN = /^[\x21-\x7e]+$/;

export function toKey(raw: unknown): Key {
  if (typeof raw !== 'string') throw new InvalidKeyError(raw, `expected a string, got ${typeof raw}`);
  if (raw.length === 0) throw new InvalidKeyError(raw, 'empty');
  if (raw.length > MAX_KEY_LENGTH) throw new InvalidKeyError(raw, `longer than ${MAX_KEY_LENGTH} characters`);
  if (!KEY_PATTERN.test(raw))
    throw new InvalidKeyError(raw, 'only printable ASCII without spaces is allowed');
  if (raw.includes('/')) throw new InvalidKeyError(raw, "'/' is not allowed");
  return raw as Key;
}
