/**
 * A local view of some keys that always equals the store's state at one commit (never half a
 * transaction). It starts from a consistent read, then applies whole commit notices in
 * sequence order. It is offered only the notices that write a key it holds or is about to
 * read (see NoticeRouter, which also finds skipped numbers and gaps and makes it re-read).
 *
 * A walk (closure) that comes to reference keys the view does not hold reads only those
 * keys, at some commit S at or after the view's own, then brings the keys it held up to S
 * with the notices up to S (buffered meanwhile): the result is again the state at one commit
 * (see growInto). Keys no longer referenced are dropped without a read.
 */
import { Observable } from 'rxjs';
import type { Backend } from './backend';
import { decodeValue, type JsonValue } from './json-value';
import type { Key } from './key';
import type { NoticeRouter, NoticeTarget } from './notice-router';
import type { SharedNotice } from './shared-notice';

export interface WatchSnapshot {
  /** The commit this view reflects. */
  readonly seq: number;
  /** Every watched key; null when it holds nothing. */
  readonly values: ReadonlyMap<Key, JsonValue | null>;
}

/** Given a consistent view, which keys should be watched (for walks along references). */
export type KeyClosure = (get: (key: Key) => JsonValue | null) => readonly Key[];

type Listener = (snapshot: WatchSnapshot) => void;

/**
 * How long a growth read waits for the notices up to the commit it read at; after that it
 * falls back to a full re-read (a notice lost on the way must not stall the view).
 */
const CATCH_UP_TIMEOUT_MS = 2000;

let created = 0;

export class Watch implements NoticeTarget {
  /** @internal */
  readonly order = created++;
  /** Keys held; registered with the router, as are `pending`. */
  private keys: Set<Key>;
  /** Keys the walk references but not read yet: registered so no notice of them is missed. */
  private readonly pending = new Set<Key>();
  /** The read in flight, if any (its answer is checked against the router when it lands). */
  private reading: 'full' | 'grow' | null = null;
  private view = new Map<Key, JsonValue | null>();
  /** The view is the published snapshot's map too: copy it before changing it. */
  private viewShared = false;
  private seq = -1;
  /** Keys the walk references but the view does not hold yet. */
  private missing: Key[] = [];
  private syncing: Promise<void> | null = null;
  private buffered: SharedNotice[] = [];
  private needFull = false;
  private wakeCatchUp: (() => void) | null = null;
  private closed = false;
  private readonly listeners = new Set<Listener>();
  private snapshot: WatchSnapshot = { seq: -1, values: new Map() };
  /** Number of full re-reads done (start-up included); tests and metrics read it. */
  resyncCount = 0;
  /** Number of reads of keys a walk newly referenced (only those keys read). */
  growCount = 0;

  constructor(
    private readonly backend: Backend,
    initialKeys: readonly Key[],
    private readonly closure: KeyClosure | null,
    private readonly router: NoticeRouter,
    private readonly onClose: (w: Watch) => void,
  ) {
    this.keys = new Set(initialKeys);
    router.attach(this);
    for (const k of this.keys) router.add(this, k);
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
    this.wakeCatchUp?.();
    for (const k of this.keys) this.router.remove(this, k);
    for (const k of this.pending) this.router.remove(this, k);
    this.router.detach(this);
    this.onClose(this);
  }

  /** @internal */
  handleNotice(notice: SharedNotice): void {
    if (this.closed) return;
    if (this.syncing) {
      this.buffered.push(notice);
      this.wakeCatchUp?.();
      return;
    }
    if (this.apply(notice, true) === 'grow') void this.startSync();
  }

  /** @internal */
  handleGap(): void {
    if (!this.closed) void this.startResync();
  }

  /** @internal A view older than the run's start may lack commits whose notices were lost. */
  handleRunStart(runStart: number): void {
    // A full read in flight replaces the view and is checked against the run when it lands;
    // a growth read keeps the held keys, so they must be re-read.
    if (!this.closed && this.reading !== 'full' && this.seq < runStart) void this.startResync();
  }

  /** @internal Starts (or joins) a full re-read; resolves when the view is consistent again. */
  startResync(): Promise<void> {
    this.needFull = true;
    this.wakeCatchUp?.();
    return this.startSync();
  }

  private startSync(): Promise<void> {
    if (this.syncing) return this.syncing;
    // Assigned before the loop runs (it starts after a tick), so notices meanwhile are buffered.
    this.syncing = Promise.resolve().then(() => this.syncLoop());
    return this.syncing;
  }

  /** Full reads, growth reads and buffered notices until nothing is left, then one publish. */
  private async syncLoop(): Promise<void> {
    let delay = 50;
    let full = false;
    try {
      for (;;) {
        if (this.closed) return;
        try {
          if (this.needFull) {
            this.needFull = false;
            await this.readFull();
            full = true;
            delay = 50;
          } else if (this.missing.length > 0) {
            if (!(await this.growInto(this.missing))) this.needFull = true;
          } else {
            const n = this.buffered.shift();
            if (n === undefined) break;
            this.apply(n, false);
          }
        } catch {
          // Backend unreachable: keep the last consistent view and try again.
          await new Promise((r) => setTimeout(r, delay));
          delay = Math.min(delay * 2, 2000);
          this.needFull = true;
        }
      }
    } finally {
      this.syncing = null;
    }
    if (full) this.resyncCount++;
    this.publish();
  }

  private async readFull(): Promise<void> {
    const keys = [...this.keys];
    const floor = this.router.pos;
    const snap = await this.readAt(keys, 'full');
    const view = new Map<Key, JsonValue | null>();
    for (const k of keys) view.set(k, decodeValue(snap.values.get(k)?.text ?? null));
    this.view = view;
    this.viewShared = false;
    this.seq = snap.seq;
    // Behind the notices already handed out: some it lacks are not in the buffer.
    if (this.behind(snap.seq, floor)) this.needFull = true;
    this.reconcile();
  }

  private async readAt(keys: readonly Key[], kind: 'full' | 'grow'): ReturnType<Backend['read']> {
    this.reading = kind;
    try {
      return await this.backend.read(keys);
    } finally {
      this.reading = null;
    }
  }

  /**
   * Whether a read at `seq`, started when the router was at `floor`, may lack a commit whose
   * notice this watch was not given (every notice after `floor`, or after the run's start
   * when the router knew no position yet, was).
   */
  private behind(seq: number, floor: number | null): boolean {
    const since = floor ?? this.router.runStart;
    return since !== null && seq < since;
  }

  /**
   * Reads `fresh` (keys not held) at some commit S >= the view's, and applies the notices up
   * to S to the keys already held, so every key is at S. False: do a full re-read instead
   * (a notice missing, a gap, or the read older than the view).
   */
  private async growInto(fresh: readonly Key[]): Promise<boolean> {
    const floor = this.router.pos;
    const snap = await this.readAt(fresh, 'grow');
    if (snap.seq < this.seq || this.behind(snap.seq, floor) || !(await this.catchUp(snap.seq))) return false;
    const isFresh = new Set(fresh);
    this.ownView();
    while (this.buffered.length > 0 && this.buffered[0]!.seq <= snap.seq) {
      const n = this.buffered.shift()!;
      if (n.seq <= this.seq) continue;
      // The fresh keys' values already include this commit.
      this.applyWrites(n, isFresh);
      this.seq = n.seq;
    }
    for (const k of fresh) {
      this.pending.delete(k);
      this.keys.add(k);
      this.view.set(k, decodeValue(snap.values.get(k)?.text ?? null));
    }
    this.seq = snap.seq;
    this.growCount++;
    this.reconcile();
    return true;
  }

  /**
   * Waits until the router has handed out every notice up to `target` (so those of them
   * writing a key held are in the buffer); false after a gap or if they do not come in time.
   */
  private async catchUp(target: number): Promise<boolean> {
    for (;;) {
      if (this.needFull || this.closed) return false;
      const pos = this.router.pos;
      if (target <= this.seq || (pos !== null && pos >= target)) return true;
      const arrived = await new Promise<boolean>((resolve) => {
        let off = () => {};
        const timer = setTimeout(() => {
          off();
          this.wakeCatchUp = null;
          resolve(false);
        }, CATCH_UP_TIMEOUT_MS);
        this.wakeCatchUp = () => {
          clearTimeout(timer);
          off();
          this.wakeCatchUp = null;
          resolve(true);
        };
        off = this.router.onAdvance(this.wakeCatchUp);
      });
      if (!arrived) return false;
    }
  }

  /** Makes the held keys the walk's closure: drops the unreferenced, notes the missing. */
  private reconcile(): void {
    if (!this.closure) {
      this.missing = [];
      return;
    }
    const wanted = new Set(this.closure((k) => this.view.get(k) ?? null));
    for (const k of this.keys) {
      if (!wanted.has(k)) {
        this.ownView();
        this.keys.delete(k);
        this.view.delete(k);
        this.router.remove(this, k);
      }
    }
    for (const k of this.pending) {
      if (!wanted.has(k)) {
        this.pending.delete(k);
        this.router.remove(this, k);
      }
    }
    const missing: Key[] = [];
    for (const k of wanted) {
      if (this.keys.has(k)) continue;
      missing.push(k);
      // Registered before it is read: a notice landing meanwhile is buffered, not lost.
      if (!this.pending.has(k)) {
        this.pending.add(k);
        this.router.add(this, k);
      }
    }
    this.missing = missing;
  }

  /**
   * Applies one notice (the router saw to it that none writing a held key was skipped).
   * 'grow': the walk now references keys not held (read them before publishing).
   */
  private apply(notice: SharedNotice, publish: boolean): 'ok' | 'grow' {
    if (notice.seq <= this.seq) return 'ok';
    const touched = this.applyWrites(notice, null);
    this.seq = notice.seq;
    if (touched && this.closure) {
      this.reconcile();
      if (this.missing.length > 0) return 'grow';
    }
    if (touched && publish) this.publish();
    return 'ok';
  }

  /** Sets the held keys (but those in `skip`) that `notice` writes; true if there were any. */
  private applyWrites(notice: SharedNotice, skip: ReadonlySet<Key> | null): boolean {
    let touched = false;
    // Walk the smaller side: a one-key watch and a commit of thousands of keys cost one lookup.
    const small = notice.writes.size <= this.keys.size;
    for (const k of small ? notice.writes.keys() : this.keys) {
      if (!(small ? this.keys.has(k) : notice.writes.has(k)) || skip?.has(k)) continue;
      if (!touched) this.ownView();
      this.view.set(k, notice.value(k));
      touched = true;
    }
    return touched;
  }

  private ownView(): void {
    if (!this.viewShared) return;
    this.view = new Map(this.view);
    this.viewShared = false;
  }

  private publish(): void {
    // The snapshot takes the view itself; the next change copies it (ownView).
    this.snapshot = { seq: this.seq, values: this.view };
    this.viewShared = true;
    for (const l of [...this.listeners]) l(this.snapshot);
  }
}
