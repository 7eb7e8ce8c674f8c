/** One attempt of a transaction: tracks every read (with its version) and every write. */
import type { Backend, StoredValue } from './backend';
import { decodeValue, encodeValue, type JsonValue } from './json-value';
import { type Key, toKey } from './key';

/** What an updater may do while it runs. Reads of keys it wrote return its own writes. */
export interface WalkTx {
  get(key: string): Promise<JsonValue | null>;
  getMany(keys: readonly string[]): Promise<(JsonValue | null)[]>;
  set(key: string, value: JsonValue): void;
  delete(key: string): void;
  /** Keys read so far, in order of first read. */
  readonly keysRead: readonly Key[];
}

export class TxAttempt implements WalkTx {
  private readonly reads = new Map<Key, StoredValue>();
  private readonly writes = new Map<Key, string | null>();

  constructor(
    private readonly backend: Backend,
    private readonly maxValueBytes: number,
  ) {}

  get keysRead(): readonly Key[] {
    return [...this.reads.keys()];
  }

  async get(key: string): Promise<JsonValue | null> {
    const [v] = await this.getMany([key]);
    return v ?? null;
  }

  async getMany(raw: readonly string[]): Promise<(JsonValue | null)[]> {
    const keys = raw.map(toKey);
    const missing = [...new Set(keys.filter((k) => !this.reads.has(k) && !this.writes.has(k)))];
    if (missing.length > 0) {
      const snap = await this.backend.read(missing);
      for (const k of missing) this.reads.set(k, snap.values.get(k) ?? { text: null, version: 0 });
    }
    return keys.map((k) => {
      if (this.writes.has(k)) return decodeValue(this.writes.get(k) ?? null);
      return decodeValue(this.reads.get(k)?.text ?? null);
    });
  }

  set(raw: string, value: JsonValue): void {
    const key = toKey(raw);
    this.writes.set(key, encodeValue(key, value, this.maxValueBytes));
  }

  delete(raw: string): void {
    this.writes.set(toKey(raw), null);
  }

  /** Seeds reads from a snapshot already taken (transact reads its keys in one go). */
  seed(values: ReadonlyMap<Key, StoredValue>, keys: readonly Key[]): void {
    for (const k of keys) this.reads.set(k, values.get(k) ?? { text: null, version: 0 });
  }

  checks(): Map<Key, number> {
    return new Map([...this.reads].map(([k, v]) => [k, v.version]));
  }

  pendingWrites(): ReadonlyMap<Key, string | null> {
    return this.writes;
  }

  /** Keys whose versions moved since this attempt read them. */
  async staleReads(): Promise<Key[]> {
    if (this.reads.size === 0) return [];
    const snap = await this.backend.read([...this.reads.keys()]);
    return [...this.reads]
      .filter(([k, v]) => (snap.values.get(k)?.version ?? 0) !== v.version)
      .map(([k]) => k);
  }
}
