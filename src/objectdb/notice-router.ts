/**
 * Hands each commit notice only to the watches that hold (or are about to read) a key it
 * writes, and keeps the sequence bookkeeping for all of them in one place.
 *
 * A watch no longer sees every notice, so it cannot find a skipped number by itself. The
 * router does: it follows the backend's numbering, and while that runs without a hole every
 * watch registered for a key has been offered every notice writing that key. A watch not
 * offered a notice is therefore still current; the router's `pos` is the commit all of them
 * reflect once their reads and buffers are applied. A hole (or a backend-reported gap) makes
 * every watch re-read, exactly as a watch seeing the hole itself used to.
 */
import type { BackendListener, CommitNotice } from './backend';
import type { Key } from './key';
import { SharedNotice } from './shared-notice';

/** What the router calls on a watch. */
export interface NoticeTarget {
  /** Creation order: watches offered one notice are offered it in this order. */
  readonly order: number;
  handleNotice(notice: SharedNotice): void;
  /** Notices may have been missed: re-read. */
  handleGap(): void;
  /** The first notice after a gap (or ever) follows commit `runStart`: re-read if behind it. */
  handleRunStart(runStart: number): void;
}

export class NoticeRouter implements BackendListener {
  private readonly byKey = new Map<Key, Set<NoticeTarget>>();
  private readonly targets = new Set<NoticeTarget>();
  private readonly advanceWaiters = new Set<() => void>();
  private position: number | null = null;
  private start: number | null = null;

  /**
   * The last commit whose notice was handed out, every one before it back to `runStart`
   * included; null until the first notice after a gap (or ever).
   */
  get pos(): number | null {
    return this.position;
  }

  /** Where the current unbroken run of notices starts (the commit before its first notice). */
  get runStart(): number | null {
    return this.start;
  }

  attach(t: NoticeTarget): void {
    this.targets.add(t);
  }

  detach(t: NoticeTarget): void {
    this.targets.delete(t);
  }

  /** From now on, notices writing `key` reach `t`. */
  add(t: NoticeTarget, key: Key): void {
    let s = this.byKey.get(key);
    if (s === undefined) {
      s = new Set();
      this.byKey.set(key, s);
    }
    s.add(t);
  }

  remove(t: NoticeTarget, key: Key): void {
    const s = this.byKey.get(key);
    if (s === undefined) return;
    s.delete(t);
    if (s.size === 0) this.byKey.delete(key);
  }

  /** Calls `wake` after every notice (and gap) until the returned function is called. */
  onAdvance(wake: () => void): () => void {
    this.advanceWaiters.add(wake);
    return () => this.advanceWaiters.delete(wake);
  }

  onCommit(n: CommitNotice): void {
    const prev = this.position;
    if (prev !== null && n.seq <= prev) return; // Delivered already.
    this.position = n.seq;
    if (prev === null) {
      this.start = n.seq - 1;
      for (const t of [...this.targets]) t.handleRunStart(n.seq - 1);
    } else if (n.seq !== prev + 1) {
      // A skipped number: its notice is lost, so every view may be missing it.
      this.start = n.seq - 1;
      for (const t of [...this.targets]) t.handleGap();
    }
    this.dispatch(new SharedNotice(n));
    for (const w of [...this.advanceWaiters]) w();
  }

  onGap(): void {
    this.position = null;
    this.start = null;
    for (const t of [...this.targets]) t.handleGap();
    for (const w of [...this.advanceWaiters]) w();
  }

  private dispatch(notice: SharedNotice): void {
    let only: NoticeTarget | undefined;
    let hit: Set<NoticeTarget> | undefined;
    for (const k of notice.writes.keys()) {
      const s = this.byKey.get(k);
      if (s === undefined) continue;
      for (const t of s) {
        if (t === only) continue;
        if (only === undefined) only = t;
        else {
          hit ??= new Set([only]);
          hit.add(t);
        }
      }
    }
    if (hit === undefined) {
      only?.handleNotice(notice);
      return;
    }
    // Collected first: a watch registering keys while it handles the notice changes nothing here.
    const list = [...hit].sort((a, b) => a.order - b.order);
    for (const t of list) t.handleNotice(notice);
  }
}
