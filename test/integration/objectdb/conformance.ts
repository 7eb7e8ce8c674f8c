/**
 * The ObjectDB conformance suite: the same behaviour checks, run unchanged against every
 * backend. A backend test file calls `conformanceSuite(name, factory)`.
 */
import fc from 'fast-check';
import {
  DanglingReferenceError,
  defineObjectType,
  InvalidKeyError,
  InvalidValueError,
  type JsonValue,
  type ObjectDb,
  refsIn,
  TransactionConflictError,
  UpdaterError,
  ValueTooLargeError,
  type WatchSnapshot,
  type WriteSet,
} from '../../../src/objectdb';

export interface DbFactory {
  /** A client of the shared store under test; several may be open at once. */
  open(options?: { maxAttempts?: number; maxValueBytes?: number }): Promise<ObjectDb>;
}

let counter = 0;
/** Keys unique to one test, so tests sharing a store never see each other. */
function ns(): (k: string) => string {
  const p = `t${process.pid}x${++counter}x${Date.now() % 100000}`;
  return (k) => `${p}.${k}`;
}

export function conformanceSuite(name: string, factory: () => DbFactory): void {
  describe(`ObjectDB conformance: ${name}`, () => {
    let f: DbFactory;
    let db: ObjectDb;
    const extra: ObjectDb[] = [];
    beforeAll(async () => {
      f = factory();
      db = await f.open();
    });
    afterAll(async () => {
      for (const d of extra) await d.close();
      await db.close();
    });
    const second = async (opts?: { maxAttempts?: number; maxValueBytes?: number }) => {
      const d = await f.open(opts);
      extra.push(d);
      return d;
    };

    test('missing keys read as null; transact writes, get reads back', async () => {
      const k = ns();
      const before = await db.get([k('a')]);
      expect(before.values.get(k('a') as never)).toBeNull();
      const info = await db.transact([k('a')], (v) => {
        expect(v.get(k('a') as never)).toBeNull();
        return { [k('a')]: { n: 1, s: 'x', l: [1, 2, { z: null }] } };
      });
      expect(info.seq).toBeGreaterThan(0);
      const after = await db.get([k('a')]);
      expect(after.values.get(k('a') as never)).toEqual({ n: 1, s: 'x', l: [1, 2, { z: null }] });
      expect(after.seq).toBeGreaterThanOrEqual(info.seq);
    });

    test('many creates, updates and deletes in one call are one transaction', async () => {
      const k = ns();
      await db.transact([], () => ({ [k('x')]: 1, [k('y')]: 2 }));
      const info = await db.transact([k('x'), k('y')], () => ({
        [k('x')]: null,
        [k('y')]: 3,
        [k('z')]: 'new',
      }));
      const snap = await db.get([k('x'), k('y'), k('z')]);
      expect([...snap.values.values()]).toEqual([null, 3, 'new']);
      // Nothing else landed between our commit and the read of our keys.
      expect(snap.seq).toBeGreaterThanOrEqual(info.seq);
    });

    test('concurrent read-modify-write from two clients loses no update', async () => {
      const k = ns();
      const other = await second();
      const inc = (d: ObjectDb) =>
        d.transact([k('counter')], (v) => ({
          [k('counter')]: ((v.get(k('counter') as never) as number) ?? 0) + 1,
        }));
      const jobs: Promise<unknown>[] = [];
      for (let i = 0; i < 30; i++) jobs.push(inc(db), inc(other));
      await Promise.all(jobs);
      expect((await db.get([k('counter')])).values.get(k('counter') as never)).toBe(60);
    });

    test('walk: keys read while running are validated at commit, so a change forces a retry', async () => {
      const k = ns();
      await db.transact([], (): WriteSet => ({ [k('root')]: { $ref: k('leaf') }, [k('leaf')]: { v: 1 } }));
      let runs = 0;
      const info = await db.walk(async (tx) => {
        runs++;
        const root = await tx.get(k('root'));
        const leafKey = refsIn(root!)[0]!;
        const leaf = (await tx.get(leafKey)) as { v: number };
        if (runs === 1) await db.transact([leafKey], () => ({ [leafKey]: { v: 10 } }));
        tx.set(k('copy'), leaf.v);
        return leaf.v;
      });
      expect(runs).toBe(2);
      expect(info.result).toBe(10);
      expect((await db.get([k('copy')])).values.get(k('copy') as never)).toBe(10);
    });

    test('read-your-writes inside a walk', async () => {
      const k = ns();
      await db.walk(async (tx) => {
        tx.set(k('a'), 5);
        expect(await tx.get(k('a'))).toBe(5);
        tx.delete(k('a'));
        expect(await tx.get(k('a'))).toBeNull();
      });
    });

    test('an updater that throws writes nothing and surfaces UpdaterError with the cause', async () => {
      const k = ns();
      await db.transact([], () => ({ [k('a')]: 1 }));
      const err = await db
        .walk(async (tx) => {
          await tx.get(k('a'));
          tx.set(k('a'), 2);
          tx.set(k('b'), 2);
          throw new Error('boom');
        })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UpdaterError);
      expect((err as UpdaterError).message).toContain('boom');
      const snap = await db.get([k('a'), k('b')]);
      expect([...snap.values.values()]).toEqual([1, null]);
    });

    test('a transact updater that throws (or rejects) writes nothing and surfaces UpdaterError', async () => {
      const k = ns();
      await db.transact([], () => ({ [k('a')]: 1 }));
      const sync = await db
        .transact([k('a')], () => {
          throw new TypeError('bad input from the caller');
        })
        .catch((e: unknown) => e);
      expect(sync).toBeInstanceOf(UpdaterError);
      expect((sync as UpdaterError).cause).toBeInstanceOf(TypeError);
      expect((sync as Error).message).toContain('bad input from the caller');
      const async_ = await db
        .transact([k('a')], async () => {
          await new Promise((r) => setTimeout(r, 1));
          throw new Error('late failure');
        })
        .catch((e: unknown) => e);
      expect(async_).toBeInstanceOf(UpdaterError);
      expect((async_ as Error).message).toContain('late failure');
      const snap = await db.get([k('a')]);
      expect(snap.values.get(k('a') as never)).toBe(1);
    });

    test.each<[string, () => unknown, new (...a: never[]) => Error]>([
      ['a function', () => ({ f: () => 1 }), InvalidValueError],
      [
        'a cycle',
        () => {
          const o: Record<string, unknown> = {};
          o.self = o;
          return o;
        },
        InvalidValueError,
      ],
      ['NaN', () => ({ x: Number.NaN }), InvalidValueError],
      ['Infinity', () => [Number.POSITIVE_INFINITY], InvalidValueError],
      ['undefined field', () => ({ x: undefined }), InvalidValueError],
      ['undefined in array', () => [1, undefined], InvalidValueError],
      ['bigint', () => ({ cookie: 1n }), InvalidValueError],
      ['a Map', () => new Map(), InvalidValueError],
      ['a Date', () => ({ at: new Date() }), InvalidValueError],
      ['an oversized value', () => 'x'.repeat(5000), ValueTooLargeError],
    ])('storing %s fails with a typed error and writes nothing', async (_what, make, errType) => {
      const k = ns();
      const small = await second({ maxValueBytes: 4096 });
      const err = await small
        .transact([], () => ({ [k('ok')]: 1, [k('bad')]: make() as JsonValue }))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(errType);
      const snap = await small.get([k('ok'), k('bad')]);
      expect([...snap.values.values()]).toEqual([null, null]);
    });

    test('invalid keys are rejected by name', async () => {
      await expect(db.get([''])).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(db.transact(['has space'], () => ({}))).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(db.transact([], () => ({ 'a/b': 1 }))).rejects.toBeInstanceOf(InvalidKeyError);
    });

    test('endless conflicts end in TransactionConflictError naming the key', async () => {
      const k = ns();
      const limited = await second({ maxAttempts: 3 });
      let n = 0;
      const err = await limited
        .transact([k('hot')], async () => {
          await db.transact([], () => ({ [k('hot')]: ++n }));
          return { [k('hot')]: -1 };
        })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransactionConflictError);
      expect((err as TransactionConflictError).attempts).toBe(3);
      expect((err as TransactionConflictError).conflictingKeys).toContain(k('hot'));
      expect((await db.get([k('hot')])).values.get(k('hot') as never)).toBe(3);
    });

    test('a watcher in another client sees every transaction whole, never half', async () => {
      const k = ns();
      const other = await second();
      await db.transact([], () => ({ [k('a')]: 0, [k('b')]: 0 }));
      const w = await other.watch([k('a'), k('b')]);
      const seen: WatchSnapshot[] = [];
      w.onChange((s) => seen.push(s));
      let last = 0;
      const writers = Array.from({ length: 5 }, async () => {
        for (let i = 0; i < 10; i++) {
          const info = await db.transact([k('a'), k('b')], (v) => {
            const a = v.get(k('a') as never) as number;
            return { [k('a')]: a + 1, [k('b')]: a + 1 };
          });
          last = Math.max(last, info.seq);
        }
      });
      await Promise.all(writers);
      const final = await w.waitForSeq(last);
      expect(final.values.get(k('a') as never)).toBe(50);
      for (const s of [w.current(), ...seen])
        expect(s.values.get(k('a') as never)).toBe(s.values.get(k('b') as never));
      w.close();
    });

    test('watchWalk follows references as they change', async () => {
      const k = ns();
      await db.transact([], () => ({
        [k('root')]: { to: { $ref: k('n1') } },
        [k('n1')]: 'one',
        [k('n2')]: 'two',
      }));
      const w = await db.watchWalk([k('root')], (_key, v) => refsIn(v));
      expect(w.current().values.get(k('n1') as never)).toBe('one');
      expect(w.current().values.has(k('n2') as never)).toBe(false);
      const info = await db.transact([], () => ({ [k('root')]: { to: { $ref: k('n2') } } }));
      const s = await w.waitForSeq(info.seq);
      expect(s.values.get(k('n2') as never)).toBe('two');
      expect(s.values.has(k('n1') as never)).toBe(false);
      w.close();
    });

    test('a watch resynchronises after a reported gap', async () => {
      const k = ns();
      const w = await db.watch([k('a')]);
      const before = w.resyncCount;
      const info = await db.transact([], () => ({ [k('a')]: 'v' }));
      await w.waitForSeq(info.seq);
      await w.startResync();
      expect(w.resyncCount).toBe(before + 1);
      expect(w.current().values.get(k('a') as never)).toBe('v');
      w.close();
    });

    test('typed objects: set key, secondary index, strong and weak references', async () => {
      const k = ns();
      type Net = { name: string; vlan: number };
      const nets = defineObjectType<Net>(k('net'), [{ name: 'vlan', of: (n) => String(n.vlan) }]);
      await db.walk(async (tx) => {
        await nets.put(tx, 'a', { name: 'A', vlan: 10 });
        await nets.put(tx, 'b', { name: 'B', vlan: 10 });
        await nets.put(tx, 'c', { name: 'C', vlan: 20 });
      });
      await db.walk(async (tx) => {
        expect((await nets.list(tx)).sort()).toEqual(['a', 'b', 'c']);
        expect((await nets.lookup(tx, 'vlan', '10')).sort()).toEqual(['a', 'b']);
        expect(await nets.resolve(tx, nets.ref('c'), 'strong')).toEqual({ name: 'C', vlan: 20 });
      });
      await db.walk(async (tx) => {
        await nets.put(tx, 'a', { name: 'A', vlan: 20 });
        await nets.remove(tx, 'c');
      });
      await db.walk(async (tx) => {
        expect((await nets.list(tx)).sort()).toEqual(['a', 'b']);
        expect(await nets.lookup(tx, 'vlan', '10')).toEqual(['b']);
        expect(await nets.lookup(tx, 'vlan', '20')).toEqual(['a']);
        expect(await nets.resolve(tx, nets.ref('c'), 'weak')).toBeNull();
      });
      const err = await db.walk((tx) => nets.resolve(tx, nets.ref('c'), 'strong')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UpdaterError);
      expect((err as UpdaterError).cause).toBeInstanceOf(DanglingReferenceError);
    });

    test('property: a growing and shrinking watchWalk shows exactly a fresh read of the graph at each seq', async () => {
      // Nodes 0..7 hold {n, to: [refs]}; the walk starts at node 0. Each edit rewrites or
      // deletes a few nodes, so the walk gains and loses keys; a second client writes, so
      // notices arrive while growth reads are in flight.
      const N = 8;
      const node = fc.record({
        n: fc.integer({ min: 0, max: 99 }),
        to: fc.uniqueArray(fc.nat(N - 1), { maxLength: 3 }),
      });
      const edit = fc.array(fc.tuple(fc.nat(N - 1), fc.option(node, { freq: 5 })), {
        minLength: 1,
        maxLength: 3,
      });
      const writer = await second();
      let grows = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(node, { minLength: N, maxLength: N }),
          fc.array(edit, { maxLength: 10 }),
          async (init, edits) => {
            const k = ns();
            const keys = Array.from({ length: N }, (_, i) => k(String(i)));
            const enc = (x: { n: number; to: number[] } | null): JsonValue =>
              x === null ? null : { n: x.n, to: x.to.map((j) => ({ $ref: keys[j]! })) };
            // The state of the nodes after each of our commits, by seq.
            const states: { seq: number; values: Map<string, JsonValue> }[] = [];
            const model = new Map<string, JsonValue>();
            // A watched root of its own, written last, so the watch publishes the final seq.
            const end = k('end');
            const commit = async (writes: [number, { n: number; to: number[] } | null][], done = false) => {
              const all: [string, JsonValue][] = writes.map(([i, x]) => [keys[i]!, enc(x)]);
              if (done) all.push([end, true]);
              const info = await writer.transact([], () => Object.fromEntries(all));
              for (const [key, v] of all) {
                if (v === null) model.delete(key);
                else model.set(key, v);
              }
              states.push({ seq: info.seq, values: new Map(model) });
              return info.seq;
            };
            await commit(init.map((x, i) => [i, x]));
            const w = await db.watchWalk([end, keys[0]!], (_key, v) => refsIn(v));
            const seen: WatchSnapshot[] = [w.current()];
            w.onChange((s) => seen.push(s));
            let last = states[0]!.seq;
            for (const e of edits) last = await commit(e);
            last = await commit([], true);
            const final = await w.waitForSeq(last);
            // What a fresh full read gives: the walk from node 0 over the state at that seq.
            const expected = (values: ReadonlyMap<string, JsonValue>) => {
              const out = new Map<string, JsonValue>([[end, values.get(end) ?? null]]);
              const queue = [keys[0]!];
              while (queue.length > 0) {
                const key = queue.pop()!;
                if (out.has(key)) continue;
                const v = values.get(key) ?? null;
                out.set(key, v);
                if (v !== null) queue.push(...refsIn(v));
              }
              return out;
            };
            const fresh = await db.get([...keys, end]);
            expect(new Map(final.values)).toEqual(
              expected(new Map([...keys, end].map((x) => [x, fresh.values.get(x as never) ?? null]))),
            );
            for (const s of seen) {
              const at = [...states].reverse().find((x) => x.seq <= s.seq);
              expect(at).toBeDefined();
              expect(new Map(s.values)).toEqual(expected(at!.values));
            }
            grows += w.growCount;
            w.close();
          },
        ),
        { numRuns: 20 },
      );
      // The walk did grow by reading only new keys (not only by full re-reads).
      expect(grows).toBeGreaterThan(0);
    });

    test('property: any sequence of transactions leaves the same state as a plain map', async () => {
      const op = fc.record({
        keys: fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 3 }),
        del: fc.boolean(),
        val: fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.constant(null)),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 12 }), async (ops) => {
          const k = ns();
          const model = new Map<string, JsonValue>();
          for (const o of ops) {
            const keys = o.keys.map((i) => k(String(i)));
            await db.transact(keys, () =>
              Object.fromEntries(keys.map((x) => [x, o.del ? null : { v: o.val }])),
            );
            for (const x of keys) {
              if (o.del) model.delete(x);
              else model.set(x, { v: o.val });
            }
          }
          const all = Array.from({ length: 6 }, (_, i) => k(String(i)));
          const snap = await db.get(all);
          for (const x of all) expect(snap.values.get(x as never)).toEqual(model.get(x) ?? null);
        }),
        { numRuns: 25 },
      );
    });
  });
}
