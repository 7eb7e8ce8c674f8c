/** ObjectDB: optimistic multi-key transactions and consistent watches over any backend. */
import type { Backend } from './backend';
import {
  BackendError,
  ClosedError,
  InvalidKeyError,
  InvalidValueError,
  ObjectDbError,
  TransactionConflictError,
  UpdaterError,
  ValueTooLargeError,
} from './errors';
import { DEFAULT_MAX_VALUE_BYTES, decodeValue, type JsonValue } from './json-value';
import { type Key, toKey } from './key';
import { NoticeRouter } from './notice-router';
import { TxAttempt, type WalkTx } from './transaction';
import { type KeyClosure, Watch, type WatchSnapshot } from './watch';

export interface ObjectDbOptions {
  /** Attempts before TransactionConflictError (default 50). */
  readonly maxAttempts?: number;
  /** Largest encoded value accepted (default 1 MiB). */
  readonly maxValueBytes?: number;
  /** Called each time a transaction runs again because a key it read changed (for metrics). */
  readonly onRetry?: (attempt: number, conflicts: readonly string[]) => void;
}

/** What an updater returns: key -> new value, or null to delete. */
export type WriteSet = ReadonlyMap<string, JsonValue | null> | { readonly [key: string]: JsonValue | null };

export interface CommitInfo<R> {
  readonly result: R;
  /** The commit's sequence number; for a read-only walk, the seq its reads were checked at. */
  readonly seq: number;
  readonly attempts: number;
}

export class ObjectDb {
  private readonly maxAttempts: number;
  private readonly maxValueBytes: number;
  private readonly watches = new Set<Watch>();
  /** Hands each commit notice to the watches holding a key it writes. */
  private readonly router = new NoticeRouter();
  private subscription: Promise<() => void> | null = null;
  private closed = false;
  private retryCount = 0;
  private readonly onRetry: ((attempt: number, conflicts: readonly string[]) => void) | undefined;

  constructor(
    readonly backend: Backend,
    options: ObjectDbOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 50;
    this.maxValueBytes = options.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES;
    this.onRetry = options.onRetry;
  }

  /** Transaction attempts that had to run again (a key they read changed), since opening. */
  get retries(): number {
    return this.retryCount;
  }

  private retried(attempt: number, conflicts: readonly string[]): void {
    if (attempt >= this.maxAttempts) return;
    this.retryCount++;
    this.onRetry?.(attempt, conflicts);
  }

  /** Reads `keys` as one consistent snapshot. */
  async get(keys: readonly string[]): Promise<WatchSnapshot> {
    this.ensureOpen('get');
    const ks = keys.map(toKey);
    const snap = await this.backend.read(ks);
    return {
      seq: snap.seq,
      values: new Map(ks.map((k) => [k, decodeValue(snap.values.get(k)?.text ?? null)])),
    };
  }

  /**
   * Reads `keys`, calls `updater` with their values, and commits what it returns only if none
   * of the keys changed meanwhile; otherwise runs again with fresh values.
   */
  async transact<R = void>(
    keys: readonly string[],
    updater: (values: ReadonlyMap<Key, JsonValue | null>, tx: WalkTx) => WriteSet | Promise<WriteSet>,
  ): Promise<CommitInfo<R | undefined>> {
    const ks = keys.map(toKey);
    return this.run(async (tx) => {
      const values = await tx.getMany(ks);
      const writes = await updater(new Map(ks.map((k, i) => [k, values[i] ?? null])), tx);
      const entries = writes instanceof Map ? [...writes] : Object.entries(writes);
      for (const [k, v] of entries) {
        if (v === null) tx.delete(k);
        else tx.set(k, v);
      }
      return undefined;
    });
  }

  /**
   * The general transaction: `fn` reads any keys through `tx` (following references) and
   * writes through it; the commit checks every key read.
   */
  walk<R>(fn: (tx: WalkTx) => R | Promise<R>): Promise<CommitInfo<R>> {
    return this.run(fn);
  }

  private async run<R>(fn: (tx: WalkTx) => R | Promise<R>): Promise<CommitInfo<R>> {
    this.ensureOpen('transaction');
    let conflicts: readonly string[] = [];
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const tx = new TxAttempt(this.backend, this.maxValueBytes);
      let result: R;
      try {
        result = await fn(tx);
      } catch (e) {
        if (isCallerError(e)) throw e;
        // The updater may have tripped over an inconsistent read; only a current one is its fault.
        const stale = await tx.staleReads();
        if (stale.length === 0) throw new UpdaterError(e, tx.keysRead);
        conflicts = stale;
        this.retried(attempt, conflicts);
        await backoff(attempt);
        continue;
      }
      const writes = tx.pendingWrites();
      if (writes.size === 0) {
        const stale = await tx.staleReads();
        if (stale.length === 0) return { result, seq: -1, attempts: attempt };
        conflicts = stale;
        this.retried(attempt, conflicts);
        continue;
      }
      let res: Awaited<ReturnType<Backend['commit']>>;
      try {
        res = await this.backend.commit({ checks: tx.checks(), writes });
      } catch (e) {
        throw e instanceof ObjectDbError ? e : new BackendError(this.backend.kind, 'commit', e);
      }
      if (res.ok) return { result, seq: res.seq, attempts: attempt };
      conflicts = res.conflicts;
      this.retried(attempt, conflicts);
      await backoff(attempt);
    }
    throw new TransactionConflictError(this.maxAttempts, conflicts);
  }

  /** A consistent view of `keys`, kept current by commit notices. */
  watch(keys: readonly string[]): Promise<Watch> {
    return this.startWatch(keys.map(toKey), null);
  }

  /**
   * A consistent view of `roots` and everything reachable from them: `follow` returns the
   * keys a value points at (see `refsIn`). The key set follows reference changes.
   */
  watchWalk(
    roots: readonly string[],
    follow: (key: Key, value: JsonValue) => readonly Key[],
  ): Promise<Watch> {
    const rootKeys = roots.map(toKey);
    // A value object belongs to one key and is replaced, never changed, when the key is
    // written: a large walk computes its references once, not on every walk of the view.
    // (Small walks skip the table: it would cost them more memory than time saved.)
    let followed: WeakMap<object, readonly Key[]> | undefined;
    const refsOf = (key: Key, value: JsonValue): readonly Key[] => {
      if (followed === undefined || typeof value !== 'object' || value === null) return follow(key, value);
      let refs = followed.get(value);
      if (refs === undefined) {
        refs = follow(key, value);
        followed.set(value, refs);
      }
      return refs;
    };
    const closure: KeyClosure = (get) => {
      const seen = new Set<Key>(rootKeys);
      const queue = [...rootKeys];
      while (queue.length > 0) {
        const k = queue.pop()!;
        const v = get(k);
        if (v === null) continue;
        for (const next of refsOf(k, v)) {
          if (!seen.has(next)) {
            seen.add(next);
            queue.push(next);
          }
        }
      }
      if (followed === undefined && seen.size > MEMO_FOLLOW_ABOVE) followed = new WeakMap();
      return [...seen];
    };
    return this.startWatch(rootKeys, closure);
  }

  private async startWatch(keys: readonly Key[], closure: KeyClosure | null): Promise<Watch> {
    this.ensureOpen('watch');
    await this.ensureSubscribed();
    const w = new Watch(this.backend, keys, closure, this.router, (x) => this.watches.delete(x));
    this.watches.add(w);
    await w.startResync();
    return w;
  }

  private ensureSubscribed(): Promise<() => void> {
    if (!this.subscription) {
      this.subscription = this.backend.subscribe(this.router);
      this.subscription.catch(() => {
        this.subscription = null;
      });
    }
    return this.subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const w of [...this.watches]) w.close();
    if (this.subscription) (await this.subscription.catch(() => () => {}))();
    await this.backend.close();
  }

  private ensureOpen(op: string): void {
    if (this.closed) throw new ClosedError(op);
  }
}

/** Walks of more keys than this remember each value's references. */
const MEMO_FOLLOW_ABOVE = 64;

function isCallerError(e: unknown): boolean {
  return (
    e instanceof InvalidValueError ||
    e instanceof ValueTooLargeError ||
    e instanceof InvalidKeyError ||
    e instanceof BackendError ||
    e instanceof ClosedError
  );
}

function backoff(attempt: number): Promise<void> {
  if (attempt < 2) return Promise.resolve();
  const cap = Math.min(2 ** attempt, 100);
  return new Promise((r) => setTimeout(r, Math.random() * cap));
}
