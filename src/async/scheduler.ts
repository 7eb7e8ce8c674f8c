/**
 * The scheduler: events are queued by priority and dispatched asynchronously to the
 * matchers waiting for them, found through a MatcherIndex.
 *
 * Dispatch runs in batches on the Node event loop (setImmediate), so a flood of events
 * never starves socket I/O and timers; within a batch, events leave the queue strictly by
 * priority (lower first), then in emission order.
 */
import { Observable } from 'rxjs';
import { cancelledBy, TimeoutError } from './errors';
import type { Event, Matcher } from './event';
import { eventTypeInfo, Priority } from './event';
import { EventQueue } from './event-queue';
import type { Entry } from './matcher-index';
import { MatcherIndex } from './matcher-index';
import { sleep } from './routines';

export interface WaitOptions {
  /** Milliseconds; rejects with TimeoutError when it passes. */
  readonly timeout?: number;
  /** Rejects with CancelledError when aborted. */
  readonly signal?: AbortSignal;
}

export interface Subscription {
  unsubscribe(): void;
}

export interface SchedulerOptions {
  /** Events dispatched per batch before yielding to I/O. Default 4096. */
  readonly batchSize?: number;
  /** Called when a subscriber's handler throws; the default writes to stderr. */
  readonly onHandlerError?: (error: unknown, event: Event, matcher: Matcher) => void;
}

/** What a matcher's entry in the index delivers to. */
interface Waiter {
  deliver(event: Event, matcher: Matcher, entry: Entry<Waiter>): void;
}

type AnyMatch<E extends Event> = { readonly event: E; readonly index: number };
type MatchedEvent<M> = M extends Matcher<infer E> ? E : never;

export class Scheduler {
  private readonly index = new MatcherIndex<Waiter>();
  private readonly queue = new EventQueue();
  private readonly batchSize: number;
  private readonly onHandlerError: (error: unknown, event: Event, matcher: Matcher) => void;
  private scheduled = false;
  private dispatchedCount = 0;
  private readonly scratch: Entry<Waiter>[] = [];
  private idleWaiters: (() => void)[] = [];

  constructor(options: SchedulerOptions = {}) {
    this.batchSize = options.batchSize ?? 4096;
    this.onHandlerError =
      options.onHandlerError ??
      ((error, event, matcher) => {
        process.stderr.write(
          `vlcp-ts: handler for ${matcher.description} threw on ${event.type}: ${
            error instanceof Error ? (error.stack ?? error.message) : String(error)
          }\n`,
        );
      });
  }

  /** Events queued and not yet dispatched. */
  queueDepth(): number {
    return this.queue.length;
  }

  /** Events dispatched since the scheduler was created. */
  dispatched(): number {
    return this.dispatchedCount;
  }

  /** Matchers currently registered (waits and subscriptions). */
  waiting(): number {
    return this.index.size;
  }

  /** Queues an event; it is dispatched after the current synchronous code. */
  emit(event: Event): void {
    this.queue.push(event, eventTypeInfo(event.type)?.priority ?? Priority.NORMAL);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.runBatch);
    }
  }

  /** Resolves once every queued event (including ones emitted meanwhile) is dispatched. */
  drained(): Promise<void> {
    if (this.queue.length === 0 && !this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Calls `handler` for every matching event until unsubscribed. */
  subscribe<E extends Event>(matcher: Matcher<E>, handler: (event: E) => void): Subscription {
    const onError = this.onHandlerError;
    const waiter: Waiter = {
      deliver(event, m) {
        try {
          handler(event as E);
        } catch (err) {
          onError(err, event, m);
        }
      },
    };
    const entry = this.index.add(matcher as Matcher, waiter);
    return { unsubscribe: () => this.index.remove(entry) };
  }

  /** The first event matching `matcher` dispatched from now on. */
  waitFor<E extends Event>(matcher: Matcher<E>, options: WaitOptions = {}): Promise<E> {
    return this.waitForAny([matcher] as const, options).then((m) => m.event as E);
  }

  /** The first event matching any of `matchers`, with the position of the matcher that matched. */
  waitForAny<M extends readonly Matcher[]>(
    matchers: M,
    options: WaitOptions = {},
  ): Promise<AnyMatch<MatchedEvent<M[number]>>> {
    type E = MatchedEvent<M[number]>;
    const what = matchers.map((m) => m.description).join(' | ');
    const { signal, timeout } = options;
    if (signal?.aborted) return Promise.reject(cancelledBy(signal, what));
    return new Promise<AnyMatch<E>>((resolve, reject) => {
      const entries: Entry<Waiter>[] = [];
      let timer: NodeJS.Timeout | undefined;
      const finish = () => {
        for (const e of entries) this.index.remove(e);
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        finish();
        reject(cancelledBy(signal!, what));
      };
      const waiter: Waiter = {
        deliver(event, _m, entry) {
          finish();
          resolve({ event: event as E, index: entries.indexOf(entry) });
        },
      };
      for (const m of matchers) entries.push(this.index.add(m as Matcher, waiter));
      if (timeout !== undefined) {
        timer = setTimeout(() => {
          finish();
          reject(new TimeoutError(what, timeout));
        }, timeout);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Matching events as an RxJS Observable; subscribing registers the matcher, unsubscribing removes it. */
  observe<E extends Event>(matcher: Matcher<E>): Observable<E> {
    return new Observable<E>((subscriber) => {
      const sub = this.subscribe(matcher, (e) => subscriber.next(e));
      return () => sub.unsubscribe();
    });
  }

  /** Resolves after `ms`; rejects with CancelledError if `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleep(ms, signal);
  }

  /** Emits `event` after `ms` unless `signal` aborts first. */
  emitAfter(ms: number, event: Event, signal?: AbortSignal): void {
    this.sleep(ms, signal).then(
      () => this.emit(event),
      () => undefined,
    );
  }

  private readonly runBatch = (): void => {
    const scratch = this.scratch;
    for (let n = 0; n < this.batchSize; n++) {
      const event = this.queue.shift();
      if (event === undefined) break;
      this.dispatchedCount++;
      this.index.lookup(event, scratch);
      if (scratch.length === 0) continue;
      // Deliver from a snapshot: a delivery may add or remove entries.
      const matched = scratch.length === 1 ? [scratch[0]!] : scratch.slice();
      scratch.length = 0;
      for (const entry of matched) if (entry.live) entry.value.deliver(event, entry.matcher, entry);
    }
    if (this.queue.length > 0) {
      setImmediate(this.runBatch);
      return;
    }
    this.scheduled = false;
    if (this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  };
}
