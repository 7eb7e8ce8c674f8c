/**
 * Where a value sits in a call, for error messages: `vlanid` for a single call,
 * `networks.3.vlanid` for the fourth item of a batch (the same dotted form schema
 * validation uses).
 */
import { InvalidKeyError, type Key } from '../../objectdb';
import { ApiInputError } from '../runtime';
import type { Params } from './attributes';

export class ItemPath {
  constructor(
    /** '' for a single call, `networks.3` for a batch item. */
    readonly prefix: string,
  ) {}

  static item(list: string, index: number): ItemPath {
    return new ItemPath(`${list}.${index}`);
  }

  field(name: string): string {
    return this.prefix === '' ? name : `${this.prefix}.${name}`;
  }

  /** An ApiInputError naming the field (to throw): 400 bad value, 404 missing object, 409 conflict. */
  error(field: string, message: string, status: 400 | 404 | 409 = 400): ApiInputError {
    const where = this.field(field);
    return new ApiInputError(`${where}: ${message}`, status, where);
  }

  /** The ObjectDB key `make` builds from the field's value; a value no key can hold is an error. */
  key(field: string, make: () => Key): Key {
    try {
      return make();
    } catch (e) {
      if (e instanceof InvalidKeyError) throw this.error(field, `cannot be used as an id (${e.reason})`);
      throw e;
    }
  }

  /** Turns an ApiInputError of a helper that knows only the bare field name into one with this path. */
  rethrow(e: unknown): never {
    if (
      e instanceof ApiInputError &&
      e.parameter !== undefined &&
      !e.parameter.startsWith(this.prefix || '\0')
    ) {
      const where = this.field(e.parameter);
      const message = e.message.startsWith(e.parameter)
        ? where + e.message.slice(e.parameter.length)
        : `${where}: ${e.message}`;
      throw new ApiInputError(message, e.status, where);
    }
    throw e;
  }
}

/** One object of a call: a single call has one, a batch one per list entry. */
export interface CallItem {
  readonly path: ItemPath;
  readonly params: Params;
}
