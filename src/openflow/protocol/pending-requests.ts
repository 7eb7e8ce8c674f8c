/**
 * Requests waiting for their replies on one connection, by xid: xid allocation, timeouts,
 * AbortSignal cancellation, and a short memory of abandoned xids so that a reply arriving
 * after its request gave up is dropped instead of passing for an asynchronous message.
 */
import { CancelledError, TimeoutError } from '../../async';
import type { OpenflowRequestError } from './errors';
import type { OpenflowMessage } from './versions';

export interface SentRequest {
  readonly type: string;
  readonly xid: number;
}

export interface ReplyHandlers {
  /** A message other than an error carrying the request's xid. */
  onReply(message: OpenflowMessage, frame: Buffer): void;
  /** OFPT_ERROR carrying the request's xid. */
  onError(error: OpenflowRequestError): void;
}

export interface Settle<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

export interface ExpectOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  /** Names the wait in TimeoutError / CancelledError. */
  readonly what: string;
}

interface Entry {
  readonly request: SentRequest;
  readonly handlers: ReplyHandlers;
  /** Ends the wait with an error (connection closed). */
  fail(error: Error): void;
}

/** A watched message of a batch has no promise to fail (one function for all of them). */
const ignoreFailure = (): void => undefined;

/** How many abandoned xids are remembered. */
const ABANDONED_MEMORY = 1024;

export class PendingRequests {
  private readonly entries = new Map<number, Entry>();
  private readonly abandoned = new Set<number>();
  private next = 1;
  private closedWith: Error | undefined;

  get size(): number {
    return this.entries.size;
  }

  /** A fresh xid: 1..2^32-1, wrapping, never one still waiting. */
  nextXid(): number {
    for (;;) {
      const xid = this.next;
      this.next = xid >= 0xffffffff ? 1 : xid + 1;
      if (!this.entries.has(xid)) return xid;
    }
  }

  get(xid: number): Entry | undefined {
    return this.entries.get(xid);
  }

  /**
   * True (and forgotten, unless more parts follow) when `xid` belongs to a request that
   * stopped waiting: its late reply is to be dropped.
   */
  takeAbandoned(xid: number, moreFollows: boolean): boolean {
    if (!this.abandoned.has(xid)) return false;
    if (!moreFollows) this.abandoned.delete(xid);
    return true;
  }

  /**
   * Waits for the reply to `request`: `handlers(settle)` sees every message with its xid
   * until it calls `settle.resolve` or `settle.reject`.
   */
  expect<T>(
    request: SentRequest,
    options: ExpectOptions,
    handlers: (settle: Settle<T>) => ReplyHandlers,
  ): Promise<T> {
    const { xid } = request;
    if (this.closedWith !== undefined) return Promise.reject(this.closedWith);
    const { signal, timeoutMs, what } = options;
    if (signal?.aborted) return Promise.reject(new CancelledError(what, signal.reason));
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (abandon: boolean) => {
        if (this.entries.get(xid) === entry) this.entries.delete(xid);
        if (abandon) this.abandon(xid);
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        finish(true);
        reject(new CancelledError(what, signal?.reason));
      };
      const settle: Settle<T> = {
        resolve: (v) => {
          finish(false);
          resolve(v);
        },
        reject: (e) => {
          // A request rejected before its last part (too large, wrong reply) may still get parts.
          finish(true);
          reject(e);
        },
      };
      const entry: Entry = {
        request,
        handlers: handlers(settle),
        fail: (e) => {
          finish(false);
          reject(e);
        },
      };
      this.entries.set(xid, entry);
      timer = setTimeout(() => {
        finish(true);
        reject(new TimeoutError(what, timeoutMs));
      }, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Watches an xid without a promise or timer (messages of a batch); `forget` ends it. */
  watch(request: SentRequest, handlers: ReplyHandlers): void {
    this.entries.set(request.xid, { request, handlers, fail: ignoreFailure });
  }

  forget(xid: number): void {
    this.entries.delete(xid);
  }

  /** Rejects every waiting request (the connection closed); later calls reject at once. */
  failAll(error: Error): void {
    this.closedWith = error;
    const entries = [...this.entries.values()];
    this.entries.clear();
    for (const e of entries) e.fail(error);
  }

  private abandon(xid: number): void {
    this.abandoned.add(xid);
    if (this.abandoned.size > ABANDONED_MEMORY) {
      const oldest = this.abandoned.values().next().value;
      if (oldest !== undefined) this.abandoned.delete(oldest);
    }
  }
}
