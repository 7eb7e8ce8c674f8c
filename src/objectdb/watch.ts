/**
 * A local view of some keys that always equals the store's state at one commit (never half a
 * transaction). It starts from a consistent read, then applies whole commit notices in
 * sequence order; a skipped sequence number or a backend gap makes it re-read everything.
 */
import { Observable } from 'rxjs';
import type { Backend, CommitNotice } from './backend';
import { decodeValue, type JsonValue } from './json-value';
import type { Key } from './key';

export interface WatchSnapshot {
  /** The commit this view reflects. */
  readonly seq: number;
  /** Every watched key; null when it holds nothing. */
  readonly values: ReadonlyMap<Key, JsonValue | null>;
}

/** Given a consistent view, which keys should be watched (for walks along references). */
export type KeyClosure = (get: (key: Key) => JsonValue | null) => readonly Key[];

type Listener = (snapshot: WatchSnapshot) => void;

export class Watch {
  private keys: Set<Key>;
  private view = new Map<Key, JsonValue | null>();
  private seq = -1;
  private resyncing: Promise<void> | null = null;
  private buffered: CommitNotice[] = [];
  private needResync = false;
  private closed = false;
  private readonly listeners = new Set<Listener>();
  private snapshot: WatchSnapshot = { seq: -1, values: new Map() };
  /** Number of full re-reads done (start-up included); tests and metrics read it. */
  resyncCount = 0;

  constructor(
    private readonly backend: Backend,
    initialKeys: readonly Key[],
    private readonly closure: KeyClosure | null,
    private readonly onClose: (w: Watch) => void,
  ) {
    this.keys = new Set(initialKeys);
  }

  current(): WatchSnapshot {
    return this.snapshot;
  }

  /** Every new snapshot, starting with the current one. */
  changes(): Observable<WatchSnapshot> {
    return new Observable<WatchSnapshot>((sub) => {
      const l: Listener = (s) => sub.next(s);
      this.listeners.add(l);
      if (this.snapshot.seq >= 0) sub.next(this.snapshot);
      return () => this.listeners.delete(l);
    });
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first snapshot whose seq is at least `seq`. */
  waitForSeq(seq: number): Promise<WatchSnapshot> {
    if (this.snapshot.seq >= seq) return Promise.resolve(this.snapshot);
    return new Promise((resolve) => {
      const off = this.onChange((s) => {
        if (s.seq >= seq) {
          off();
          resolve(s);
        }
      });
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    this.onClose(this);
  }

  /** @internal */
  handleNotice(notice: CommitNotice): void {
    if (this.closed) return;
    if (this.resyncing) {
      this.buffered.push(notice);
      return;
    }
    if (!this.apply(notice)) this.startResync();
  }

  /** @internal */
  handleGap(): void {
    if (!this.closed) this.startResync();
  }

  /** @internal Starts (or joins) a full re-read; resolves when the view is consistent again. */
  startResync(): Promise<void> {
    if (this.resyncing) {
      this.needResync = true;
      return this.resyncing;
    }
    this.resyncing = this.resyncLoop().finally(() => {
      this.resyncing = null;
    });
    return this.resyncing;
  }

  private async resyncLoop(): Promise<void> {
    let delay = 50;
    for (;;) {
      if (this.closed) return;
      this.needResync = false;
      try {
        await this.readAll();
      } catch {
        // Backend unreachable: keep the last consistent view and try again.
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 2000);
        this.needResync = true;
        continue;
      }
      let ok = true;
      const pending = this.buffered;
      this.buffered = [];
      for (const n of pending) {
        if (!this.apply(n, false)) {
          ok = false;
          break;
        }
      }
      if (ok && !this.needResync) break;
    }
    this.resyncCount++;
    this.publish();
  }

  private async readAll(): Promise<void> {
    for (;;) {
      const snap = await this.backend.read([...this.keys]);
      const view = new Map<Key, JsonValue | null>();
      for (const k of this.keys) view.set(k, decodeValue(snap.values.get(k)?.text ?? null));
      if (this.closure) {
        const wanted = new Set(this.closure((k) => view.get(k) ?? null));
        if (!sameSet(wanted, this.keys)) {
          this.keys = wanted;
          continue;
        }
      }
      this.view = view;
      this.seq = snap.seq;
      return;
    }
  }

  /** Applies one notice; false means the view can no longer be kept consistent by notices. */
  private apply(notice: CommitNotice, publish = true): boolean {
    if (notice.seq <= this.seq) return true;
    if (notice.seq !== this.seq + 1) return false;
    let touched = false;
    for (const [k, text] of notice.writes) {
      if (this.keys.has(k)) {
        this.view.set(k, decodeValue(text));
        touched = true;
      }
    }
    this.seq = notice.seq;
    if (touched && this.closure) {
      const wanted = new Set(this.closure((k) => this.view.get(k) ?? null));
      for (const k of [...this.keys]) {
        if (!wanted.has(k)) {
          this.keys.delete(k);
          this.view.delete(k);
        }
      }
      // A new reference points at a key we hold no value for: re-read at a later commit.
      for (const k of wanted) if (!this.keys.has(k)) return this.growAndResync(wanted);
    }
    if (touched && publish) this.publish();
    return true;
  }

  private growAndResync(wanted: Set<Key>): boolean {
    this.keys = wanted;
    return false;
  }

  private publish(): void {
    this.snapshot = { seq: this.seq, values: new Map(this.view) };
    for (const l of [...this.listeners]) l(this.snapshot);
  }
}

function sameSet<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}
