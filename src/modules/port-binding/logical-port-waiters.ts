/**
 * Waiters for logical ports to appear on a local switch, keyed by logical port id: a
 * binding that appears resolves its waiters at once (O(1) per binding, whatever the number
 * of waiters). Each waiter ends by resolving, its timeout, or its signal.
 */
import { CancelledError, TimeoutError, type WaitOptions } from '../../async';
import type { PortBinding } from './binding';

interface Waiter {
  resolve(b: PortBinding): void;
  fail(e: Error): void;
}

export class LogicalPortWaiters {
  private readonly waiting = new Map<string, Set<Waiter>>();

  /** Waiters registered now (for tests and metrics). */
  get size(): number {
    let n = 0;
    for (const s of this.waiting.values()) n += s.size;
    return n;
  }

  /** Resolves when `appeared` is called for `id`; `present` is checked first. */
  wait(id: string, present: PortBinding | undefined, options: WaitOptions = {}): Promise<PortBinding> {
    if (present !== undefined) return Promise.resolve(present);
    const what = `logical port ${id} on a local switch`;
    const { signal, timeout } = options;
    if (signal?.aborted) return Promise.reject(new CancelledError(what, signal.reason));
    return new Promise<PortBinding>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = () => {
        const set = this.waiting.get(id);
        set?.delete(waiter);
        if (set?.size === 0) this.waiting.delete(id);
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        finish();
        reject(new CancelledError(what, signal!.reason));
      };
      const waiter: Waiter = {
        resolve: (b) => {
          finish();
          resolve(b);
        },
        fail: (e) => {
          finish();
          reject(e);
        },
      };
      let set = this.waiting.get(id);
      if (set === undefined) {
        set = new Set();
        this.waiting.set(id, set);
      }
      set.add(waiter);
      if (timeout !== undefined) {
        timer = setTimeout(() => {
          finish();
          reject(new TimeoutError(what, timeout));
        }, timeout);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** A binding of logical port `b.logicalPortId` appeared: its waiters resolve. */
  appeared(b: PortBinding): void {
    if (b.logicalPortId === undefined) return;
    const set = this.waiting.get(b.logicalPortId);
    if (set === undefined) return;
    for (const w of [...set]) w.resolve(b);
  }

  /** Rejects every waiter with CancelledError (the module stops). */
  cancelAll(reason: string): void {
    for (const [id, set] of [...this.waiting]) {
      for (const w of [...set]) w.fail(new CancelledError(`logical port ${id} on a local switch`, reason));
    }
  }
}
