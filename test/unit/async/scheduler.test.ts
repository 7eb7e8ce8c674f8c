import fc from 'fast-check';
import { firstValueFrom, take, toArray } from 'rxjs';
import {
  CancelledError,
  defineEvent,
  type Event,
  EventTypeError,
  Priority,
  race,
  runAll,
  Scheduler,
  TimeoutError,
  withTimeout,
} from '../../../src/async';

const Packet = defineEvent<{ conn: string; kind: string; n: number }>()('test.packet', ['conn', 'kind']);
const ConnDown = defineEvent<{ conn: string }>()('test.conn-down', ['conn'], { priority: Priority.HIGH });
const Low = defineEvent<{ n: number }>()('test.low', [], { priority: Priority.LOW });

describe('matchers', () => {
  it('match on any prefix of the index, and on fields after a gap', async () => {
    const s = new Scheduler();
    const seen: string[] = [];
    s.subscribe(Packet.match(), () => seen.push('any'));
    s.subscribe(Packet.match({ conn: 'a' }), () => seen.push('conn=a'));
    s.subscribe(Packet.match({ conn: 'a', kind: 'x' }), () => seen.push('conn=a,kind=x'));
    s.subscribe(Packet.match({ kind: 'x' }), () => seen.push('kind=x'));
    s.subscribe(Packet.match({ conn: 'b' }), () => seen.push('conn=b'));
    s.emit(Packet.create({ conn: 'a', kind: 'x', n: 1 }));
    await s.drained();
    expect(seen.sort()).toEqual(['any', 'conn=a', 'conn=a,kind=x', 'kind=x']);
    seen.length = 0;
    s.emit(Packet.create({ conn: 'a', kind: 'y', n: 2 }));
    await s.drained();
    expect(seen.sort()).toEqual(['any', 'conn=a']);
  });

  it('apply the filter after the index', async () => {
    const s = new Scheduler();
    const got = s.waitFor(Packet.match({ conn: 'a' }, (e) => e.n > 5));
    for (let n = 0; n < 10; n++) s.emit(Packet.create({ conn: 'a', kind: 'x', n }));
    expect((await got).n).toBe(6);
  });

  it('refuse a field that is not in the index, and a type declared twice', () => {
    expect(() => Packet.match({ n: 1 } as never)).toThrow(EventTypeError);
    expect(() => defineEvent<{ a: string }>()('test.packet', ['a'])).toThrow(/declared twice/);
  });
});

describe('dispatch order', () => {
  it('delivers higher priority events first, FIFO within a priority', async () => {
    const s = new Scheduler();
    const order: string[] = [];
    s.subscribe(Packet.match(), (e) => order.push(`p${e.n}`));
    s.subscribe(ConnDown.match(), (e) => order.push(`down-${e.conn}`));
    s.subscribe(Low.match(), (e) => order.push(`low${e.n}`));
    s.emit(Low.create({ n: 1 }));
    s.emit(Packet.create({ conn: 'a', kind: 'x', n: 1 }));
    s.emit(Packet.create({ conn: 'a', kind: 'x', n: 2 }));
    s.emit(ConnDown.create({ conn: 'a' }));
    expect(s.queueDepth()).toBe(4);
    await s.drained();
    expect(order).toEqual(['down-a', 'p1', 'p2', 'low1']);
    expect(s.queueDepth()).toBe(0);
    expect(s.dispatched()).toBe(4);
  });

  it('keeps dispatching when a handler throws, and reports the error', async () => {
    const errors: unknown[] = [];
    const s = new Scheduler({ onHandlerError: (err) => errors.push(err) });
    const got: number[] = [];
    s.subscribe(Packet.match(), () => {
      throw new Error('boom');
    });
    s.subscribe(Packet.match(), (e) => got.push(e.n));
    s.emit(Packet.create({ conn: 'a', kind: 'x', n: 1 }));
    s.emit(Packet.create({ conn: 'a', kind: 'x', n: 2 }));
    await s.drained();
    expect(got).toEqual([1, 2]);
    expect(errors).toHaveLength(2);
  });

  it('yields to I/O between batches', async () => {
    const s = new Scheduler({ batchSize: 10 });
    let timerRanAt = -1;
    let delivered = 0;
    s.subscribe(Packet.match(), () => delivered++);
    setImmediate(() => {
      timerRanAt = delivered;
    });
    for (let n = 0; n < 100; n++) s.emit(Packet.create({ conn: 'a', kind: 'x', n }));
    await s.drained();
    expect(delivered).toBe(100);
    expect(timerRanAt).toBeGreaterThanOrEqual(0);
    expect(timerRanAt).toBeLessThan(100);
  });
});

describe('waiting', () => {
  it('waitForAny tells which matcher matched and removes all its matchers', async () => {
    const s = new Scheduler();
    const p = s.waitForAny([Packet.match({ conn: 'a' }), ConnDown.match({ conn: 'a' })]);
    expect(s.waiting()).toBe(2);
    s.emit(ConnDown.create({ conn: 'a' }));
    const r = await p;
    expect(r.index).toBe(1);
    expect(r.event.type).toBe('test.conn-down');
    expect(s.waiting()).toBe(0);
  });

  it('times out with a TimeoutError naming the matcher, and leaves no waiter behind', async () => {
    const s = new Scheduler();
    const err = await s.waitFor(Packet.match({ conn: 'zz' }), { timeout: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).message).toContain('test.packet');
    expect((err as TimeoutError).message).toContain('zz');
    expect(s.waiting()).toBe(0);
  });

  it('cancels through an AbortSignal and leaves no waiter behind', async () => {
    const s = new Scheduler();
    const ac = new AbortController();
    const p = s.waitFor(Packet.match({ conn: 'a' }), { signal: ac.signal });
    ac.abort(new Error('shutting down'));
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CancelledError);
    expect((err as Error).message).toContain('shutting down');
    expect(s.waiting()).toBe(0);
    await expect(s.waitFor(Packet.match(), { signal: ac.signal })).rejects.toBeInstanceOf(CancelledError);
  });

  it('unsubscribed handlers get nothing more, even for an event already being delivered', async () => {
    const s = new Scheduler();
    const got: string[] = [];
    let second: { unsubscribe(): void } | undefined;
    s.subscribe(Packet.match(), () => {
      got.push('first');
      second?.unsubscribe();
    });
    second = s.subscribe(Packet.match(), () => got.push('second'));
    s.emit(Packet.create({ conn: 'a', kind: 'x', n: 1 }));
    await s.drained();
    expect(got).toEqual(['first']);
    expect(s.waiting()).toBe(1);
  });

  it('observe() turns a matcher into an Observable and unregisters on unsubscribe', async () => {
    const s = new Scheduler();
    const p = firstValueFrom(s.observe(Packet.match({ conn: 'b' })).pipe(take(3), toArray()));
    expect(s.waiting()).toBe(1);
    for (let n = 0; n < 5; n++) s.emit(Packet.create({ conn: n % 2 ? 'b' : 'a', kind: 'x', n }));
    s.emit(Packet.create({ conn: 'b', kind: 'x', n: 9 }));
    const events = await p;
    expect(events.map((e) => e.n)).toEqual([1, 3, 9]);
    expect(s.waiting()).toBe(0);
  });

  it('sleep and emitAfter honour cancellation', async () => {
    const s = new Scheduler();
    const ac = new AbortController();
    const slept = s.sleep(10_000, ac.signal);
    ac.abort();
    await expect(slept).rejects.toBeInstanceOf(CancelledError);
    const p = s.waitFor(Low.match(), { timeout: 5000 });
    s.emitAfter(1, Low.create({ n: 7 }));
    expect((await p).n).toBe(7);
  });
});

describe('routines', () => {
  const s = new Scheduler();

  it('runAll returns every result, in order', async () => {
    const r = await runAll([
      async () => 1,
      async (sig) => {
        await s.sleep(2, sig);
        return 2;
      },
      async () => 3,
    ]);
    expect(r).toEqual([1, 2, 3]);
  });

  it('runAll aborts the others when one fails and rethrows the first error', async () => {
    let sawAbort = false;
    const err = await runAll<number>([
      async (sig) => {
        try {
          await s.sleep(10_000, sig);
        } catch (e) {
          sawAbort = e instanceof CancelledError;
          throw e;
        }
        return 1;
      },
      async () => {
        throw new Error('first failure');
      },
    ]).catch((e: unknown) => e);
    expect((err as Error).message).toBe('first failure');
    expect(sawAbort).toBe(true);
  });

  it('race resolves with the first and aborts the rest', async () => {
    let loserAborted = false;
    const r = await race<string>([
      async (sig) => {
        sig.addEventListener('abort', () => {
          loserAborted = true;
        });
        await s.sleep(10_000, sig).catch(() => undefined);
        return 'slow';
      },
      async () => 'fast',
    ]);
    expect(r).toBe('fast');
    expect(loserAborted).toBe(true);
  });

  it('withTimeout aborts a routine that overruns and names what timed out', async () => {
    let aborted = false;
    const err = await withTimeout(
      async (sig) => {
        sig.addEventListener('abort', () => {
          aborted = true;
        });
        await new Promise(() => undefined);
      },
      5,
      'flow barrier',
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as Error).message).toMatch(/flow barrier/);
    expect(aborted).toBe(true);
    await expect(withTimeout(Promise.resolve(4), 1000, 'x')).resolves.toBe(4);
  });
});

describe('indexed dispatch equals a linear scan (property)', () => {
  const Prop = defineEvent<{ a: number; b: number; c: number }>()('test.prop', ['a', 'b', 'c']);
  type Fixed = { a?: number; b?: number; c?: number };
  const small = fc.integer({ min: 0, max: 2 });
  const fixedArb: fc.Arbitrary<Fixed> = fc.record({ a: small, b: small, c: small }, { requiredKeys: [] });

  function naiveMatch(f: Fixed, e: { a: number; b: number; c: number }): boolean {
    return (
      (f.a === undefined || f.a === e.a) &&
      (f.b === undefined || f.b === e.b) &&
      (f.c === undefined || f.c === e.c)
    );
  }

  it('delivers each event to exactly the matchers a linear scan selects', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fixedArb, { maxLength: 30 }),
        fc.array(fc.record({ a: small, b: small, c: small }), { maxLength: 30 }),
        async (matchers, events) => {
          const s = new Scheduler();
          const got: [number, number][] = [];
          matchers.forEach((f, i) => {
            s.subscribe(Prop.match(f), (e: Event & { n?: number }) => got.push([i, (e as { n: number }).n]));
          });
          events.forEach((e, n) => {
            s.emit(Object.freeze({ ...Prop.create(e), n }));
          });
          await s.drained();
          const expected: [number, number][] = [];
          events.forEach((e, n) => {
            matchers.forEach((f, i) => {
              if (naiveMatch(f, e)) expected.push([i, n]);
            });
          });
          const key = (x: [number, number]) => x[1] * 1000 + x[0];
          expect(got.map(key).sort((x, y) => x - y)).toEqual(expected.map(key).sort((x, y) => x - y));
        },
      ),
      { numRuns: 200 },
    );
  });
});
