/**
 * Helpers for routines: async functions that take an AbortSignal and stop when it aborts.
 * They compose the Node event loop's own promises; nothing here schedules on its own.
 */
import { CancelledError, TimeoutError } from './errors';

export type Routine<T> = (signal: AbortSignal) => Promise<T>;

/** A signal that aborts when `parent` does, plus a way to abort it alone. */
function childController(parent?: AbortSignal): { controller: AbortController; release: () => void } {
  const controller = new AbortController();
  if (parent === undefined) return { controller, release: () => undefined };
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { controller, release: () => undefined };
  }
  const onAbort = () => controller.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  return { controller, release: () => parent.removeEventListener('abort', onAbort) };
}

/**
 * Runs routines concurrently and resolves with all their results. When one fails, the others
 * are aborted and the first error is rethrown once they have all settled.
 */
export async function runAll<T>(routines: readonly Routine<T>[], signal?: AbortSignal): Promise<T[]> {
  const { controller, release } = childController(signal);
  let firstError: { error: unknown } | undefined;
  try {
    const settled = await Promise.allSettled(
      routines.map((r) =>
        Promise.resolve()
          .then(() => r(controller.signal))
          .catch((error: unknown) => {
            if (firstError === undefined) {
              firstError = { error };
              controller.abort(error);
            }
            throw error;
          }),
      ),
    );
    if (firstError !== undefined) throw firstError.error;
    return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
  } finally {
    release();
  }
}

/** The result of the first routine to settle; the others are aborted. */
export async function race<T>(routines: readonly Routine<T>[], signal?: AbortSignal): Promise<T> {
  const { controller, release } = childController(signal);
  try {
    return await Promise.race(routines.map((r) => Promise.resolve().then(() => r(controller.signal))));
  } finally {
    controller.abort(new CancelledError('race: another routine finished first'));
    release();
  }
}

/**
 * Runs a routine (aborted on timeout) or awaits a promise, rejecting with TimeoutError
 * naming `what` when `ms` passes first.
 */
export function withTimeout<T>(
  work: Routine<T> | Promise<T>,
  ms: number,
  what: string,
  signal?: AbortSignal,
): Promise<T> {
  const { controller, release } = childController(signal);
  const promise = typeof work === 'function' ? Promise.resolve().then(() => work(controller.signal)) : work;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      const err = new TimeoutError(what, ms);
      controller.abort(err);
      release();
      reject(err);
    }, ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        release();
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        release();
        reject(e);
      },
    );
  });
}

/** Throws CancelledError when `signal` has aborted; for checkpoints inside long routines. */
export function throwIfCancelled(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new CancelledError(what, signal.reason);
}

/** Resolves after `ms`; rejects with CancelledError if `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  const what = `sleep ${ms} ms`;
  if (signal?.aborted) return Promise.reject(new CancelledError(what, signal.reason));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError(what, signal!.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
