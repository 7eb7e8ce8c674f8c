/**
 * One commit notice as every watch of an ObjectDb sees it: each written value is decoded at
 * most once, however many watches hold the key, and they share the (read-only) result.
 */
import type { CommitNotice } from './backend';
import { decodeValue, type JsonValue } from './json-value';
import type { Key } from './key';

export class SharedNotice {
  private readonly decoded = new Map<Key, JsonValue | null>();

  constructor(private readonly notice: CommitNotice) {}

  get seq(): number {
    return this.notice.seq;
  }

  get writes(): ReadonlyMap<Key, string | null> {
    return this.notice.writes;
  }

  /** The decoded value `key` was given (null: deleted). */
  value(key: Key): JsonValue | null {
    let v = this.decoded.get(key);
    if (v === undefined) {
      v = decodeValue(this.notice.writes.get(key) ?? null);
      this.decoded.set(key, v);
    }
    return v;
  }
}
