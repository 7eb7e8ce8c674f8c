/**
 * What a watchWalk reads when its key set changes: only the keys newly referenced (never the
 * ones it holds), and nothing at all when keys stop being referenced. The backend is the
 * embedded one in a temporary directory, wrapped to record every read.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { type Backend, EmbeddedBackend, type Key, ObjectDb, refsIn } from '../../../src/objectdb';

let dir: string;
let backend: EmbeddedBackend;
let db: ObjectDb;
const reads: Key[][] = [];
/** When set, a read waits for it (to let commits land while a read is in flight). */
let holdRead: ((keys: readonly Key[]) => Promise<void>) | null = null;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'watch-growth-'));
  backend = await EmbeddedBackend.open(dir);
  const counting: Backend = {
    kind: 'embedded',
    read: async (keys) => {
      reads.push([...keys]);
      if (holdRead) await holdRead(keys);
      return backend.read(keys);
    },
    commit: (r) => backend.commit(r),
    keys: () => backend.keys(),
    subscribe: (l) => backend.subscribe(l),
    close: () => backend.close(),
  };
  db = new ObjectDb(counting);
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const to = (...keys: string[]) => ({ to: keys.map((k) => ({ $ref: k })) });

test('a new reference reads only the new keys, level by level; a dropped one reads nothing', async () => {
  // root -> a -> [b, c]; the subtree x -> [y -> z] is not referenced yet.
  await db.transact([], () => ({
    root: to('a'),
    a: to('b', 'c'),
    b: 1,
    c: 2,
    x: to('y'),
    y: to('z'),
    z: 3,
  }));
  const w = await db.watchWalk(['root'], (_k, v) => refsIn(v));
  expect([...w.current().values.keys()].sort()).toEqual(['a', 'b', 'c', 'root']);
  const resyncs = w.resyncCount;

  reads.length = 0;
  const grow = await db.transact([], () => ({ root: to('a', 'x') }));
  const s = await w.waitForSeq(grow.seq);
  expect(new Map(s.values)).toEqual(
    new Map<string, unknown>([
      ['root', to('a', 'x')],
      ['a', to('b', 'c')],
      ['b', 1],
      ['c', 2],
      ['x', to('y')],
      ['y', to('z')],
      ['z', 3],
    ]),
  );
  // One read per level of new references, each of new keys only.
  expect(reads).toEqual([['x'], ['y'], ['z']]);
  expect(w.resyncCount).toBe(resyncs);
  expect(w.growCount).toBeGreaterThanOrEqual(3);

  reads.length = 0;
  const shrink = await db.transact([], () => ({ root: to('x') }));
  const s2 = await w.waitForSeq(shrink.seq);
  expect([...s2.values.keys()].sort()).toEqual(['root', 'x', 'y', 'z']);
  expect(reads).toEqual([]);
  w.close();
});

test('a commit landing while new keys are read is applied to the keys held, not lost', async () => {
  await db.transact([], () => ({ r2: to('p'), p: 'p0', q: 'q0' }));
  const w = await db.watchWalk(['r2'], (_k, v) => refsIn(v));
  // The read of the new key q is held until a later commit (changing p and q) has landed:
  // it answers at that commit, so the view must bring p there through the notice.
  let next: Promise<{ seq: number }> | undefined;
  holdRead = async (keys) => {
    if (keys.length !== 1 || keys[0] !== 'q') return;
    holdRead = null;
    next = db.transact([], () => ({ p: 'p1', q: 'q1' }));
    await next;
  };
  await db.transact([], () => ({ r2: to('p', 'q') }));
  // The growth read starts once the watch has the notice of the commit above.
  while (next === undefined) await new Promise((r) => setTimeout(r, 5));
  const s = await w.waitForSeq((await next!).seq);
  expect(new Map(s.values)).toEqual(
    new Map<string, unknown>([
      ['r2', to('p', 'q')],
      ['p', 'p1'],
      ['q', 'q1'],
    ]),
  );
  expect(w.resyncCount).toBe(1);
  w.close();
});

test('property: a walk of more than 64 keys (references remembered per value) equals a fresh walk after random edits', async () => {
  const N = 120;
  const node = fc.record({ n: fc.nat(9), to: fc.uniqueArray(fc.nat(N - 1), { maxLength: 4 }) });
  let run = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.array(fc.tuple(fc.nat(N - 1), fc.option(node)), { minLength: 1, maxLength: 4 }), {
        maxLength: 8,
      }),
      async (edits) => {
        const p = `big${run++}`;
        const key = (i: number) => `${p}.${i}`;
        const enc = (x: { n: number; to: number[] } | null) =>
          x === null ? null : { n: x.n, to: x.to.map((j) => ({ $ref: key(j) })) };
        // Start with a chain 0 -> 1 -> ... -> N-1, so the walk holds all N keys at once.
        await db.transact([], () =>
          Object.fromEntries(
            Array.from({ length: N }, (_, i) => [key(i), enc({ n: 0, to: i + 1 < N ? [i + 1] : [] })]),
          ),
        );
        const w = await db.watchWalk([key(0)], (_k, v) => refsIn(v));
        let last = -1;
        for (const e of edits)
          last = (await db.transact([], () => Object.fromEntries(e.map(([i, x]) => [key(i), enc(x)])))).seq;
        // Written last, to a key the walk always holds, so the watch publishes this seq.
        const rootNow = (await db.get([key(0)])).values.get(key(0) as Key) ?? null;
        last = (await db.transact([], () => ({ [key(0)]: rootNow }))).seq;
        const s = await w.waitForSeq(last);
        const fresh = await db.get(Array.from({ length: N }, (_, i) => key(i)));
        const expected = new Map<string, unknown>();
        const queue = [key(0)];
        while (queue.length > 0) {
          const k = queue.pop()!;
          if (expected.has(k)) continue;
          const v = fresh.values.get(k as Key) ?? null;
          expected.set(k, v);
          if (v !== null) queue.push(...refsIn(v));
        }
        expect(new Map(s.values)).toEqual(expected);
        w.close();
      },
    ),
    { numRuns: 15 },
  );
});
