/** Polls until `get` gives a value (not undefined or false), or fails naming `what` after `ms`. */
export async function until<T>(
  get: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  ms = 30_000,
  everyMs = 50,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** `until` with another default bound (for waits on slow peers, e.g. dhclient's timers). */
export function untilWithin(defaultMs: number): typeof until {
  return (get, what, ms = defaultMs, everyMs = 50) => until(get, what, ms, everyMs);
}

/**
 * Polls `get` until `ok` holds of its value or `ms` pass, and returns the last value either
 * way: the test asserts on it, so a failure shows what was there rather than a timeout.
 * Throws only when `get` never gave a value.
 */
export async function eventually<T>(
  get: () => Promise<T>,
  ok: (value: T) => boolean,
  what: string,
  ms = 10_000,
): Promise<T> {
  let last: { readonly value: T } | undefined;
  let failure: unknown;
  await until(
    async () => {
      last = { value: await get() };
      return ok(last.value) || undefined;
    },
    what,
    ms,
  ).catch((e: unknown) => {
    failure = e;
  });
  if (last === undefined) throw failure;
  return last.value;
}
