/**
 * The working set of one viperflow transaction over an ObjectDB walk: each key is read and
 * decoded once, edited in memory (batches touch the same set and map keys many times), and
 * written back once at the end. Every key read stays checked by the commit. (Values are not
 * compared before writing: sets and maps are large, and serialising them twice more per
 * call cost more than the rare no-op write it would save.)
 */
import type { JsonValue, Key, WalkTx } from '../../objectdb';

export class StagedTx {
  private readonly values = new Map<Key, JsonValue | null>();
  private readonly dirty = new Set<Key>();

  constructor(private readonly tx: WalkTx) {}

  /** Reads several keys in one round trip (those not read yet). */
  async load(keys: readonly Key[]): Promise<void> {
    const missing = [...new Set(keys.filter((k) => !this.values.has(k)))];
    if (missing.length === 0) return;
    const got = await this.tx.getMany(missing);
    missing.forEach((k, i) => {
      this.values.set(k, got[i] ?? null);
    });
  }

  /** The current value (the transaction's own edits included); treat it as read-only. */
  async get<T>(key: Key): Promise<T | null> {
    if (!this.values.has(key)) await this.load([key]);
    return (this.values.get(key) ?? null) as T | null;
  }

  /**
   * The current value for editing in place; `create` makes it when the key is empty. The key
   * is written back at flush.
   */
  async edit<T>(key: Key, create: () => T): Promise<T> {
    const v = await this.get<T>(key);
    this.markDirty(key);
    if (v !== null) return v;
    const made = create();
    this.values.set(key, made as JsonValue);
    return made;
  }

  /** Like `edit`, for a key that may be empty: null (and nothing to write) when it is. */
  async editIfPresent<T>(key: Key): Promise<T | null> {
    const v = await this.get<T>(key);
    if (v !== null) this.markDirty(key);
    return v;
  }

  /** Replaces the value (null deletes). */
  put(key: Key, value: object | null): void {
    this.markDirty(key);
    this.values.set(key, value as JsonValue | null);
  }

  private markDirty(key: Key): void {
    this.dirty.add(key);
  }

  /** Writes every edited key through the walk. */
  flush(): void {
    for (const k of this.dirty) {
      const v = this.values.get(k) ?? null;
      if (v === null) this.tx.delete(k);
      else this.tx.set(k, v);
    }
    this.dirty.clear();
  }
}
