/**
 * Commit notices reach only the watches holding a key they write (NoticeRouter), and the
 * watches not offered a notice still stay current: a notice lost on the way (a skipped
 * number, or one lost around a backend gap) makes every watch re-read, touched or not. The
 * backend is the embedded one in a temporary directory, wrapped so a test can drop notices
 * or report a gap.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  type Backend,
  type BackendListener,
  EmbeddedBackend,
  type Key,
  ObjectDb,
  refsIn,
  type Watch,
} from '../../../src/objectdb';
import { Watch as WatchClass } from '../../../src/objectdb/watch';

let dir: string;
let backend: EmbeddedBackend;
let db: ObjectDb;
/** Notices with these seqs are dropped on their way to the ObjectDb. */
const drop = new Set<number>();
let listener: BackendListener | undefined;
/** When set, a read waits for it. */
let holdRead: ((keys: readonly Key[]) => Promise<void>) | null = null;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'notice-routing-'));
  backend = await EmbeddedBackend.open(dir);
  const lossy: Backend = {
    kind: 'embedded',
    read: async (keys) => {
      if (holdRead) await holdRead(keys);
      return backend.read(keys);
    },
    commit: (r) => backend.commit(r),
    keys: () => backend.keys(),
    subscribe: (l) => {
      listener = l;
      return backend.subscribe({
        onCommit: (n) => {
          if (!drop.has(n.seq)) l.onCommit(n);
        },
        onGap: (reason) => l.onGap(reason),
      });
    },
    close: () => backend.close(),
  };
  db = new ObjectDb(lossy);
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  jest.restoreAllMocks();
  drop.clear();
  holdRead = null;
});

/** Watches offered a notice while `fn` runs (one entry per offer). */
async function offeredDuring(fn: () => Promise<unknown>): Promise<Watch[]> {
  const spy = jest.spyOn(WatchClass.prototype, 'handleNotice');
  try {
    await fn();
    // The embedded backend notifies after its fsync, before the commit resolves; one more
    // turn lets any straggler through.
    await new Promise((r) => setImmediate(r));
    return spy.mock.contexts as Watch[];
  } finally {
    spy.mockRestore();
  }
}

const heldValue = (w: Watch, k: string) => w.current().values.get(k as Key);

test('a notice is offered only to the watches holding a key it writes', async () => {
  const keys = Array.from({ length: 50 }, (_, i) => `solo.${i}`);
  await db.transact([], () => Object.fromEntries(keys.map((k) => [k, 0])));
  const watches = await Promise.all(keys.map((k) => db.watch([k])));
  const pair = await db.watch(['solo.3', 'solo.4']);

  const one = await offeredDuring(() => db.transact([], () => ({ 'solo.7': 1 })));
  expect(one).toEqual([watches[7]]);

  const two = await offeredDuring(() => db.transact([], () => ({ 'solo.3': 1, 'solo.9': 1, 'other.x': 1 })));
  // Once each, in creation order.
  expect(two).toEqual([watches[3], watches[9], pair]);

  const none = await offeredDuring(() => db.transact([], () => ({ 'other.y': 1 })));
  expect(none).toEqual([]);

  // Untouched watches are still current: a later write to them lands without any re-read.
  const last = await db.transact([], () => ({ 'solo.0': 2, 'solo.4': 2 }));
  expect((await watches[0]!.waitForSeq(last.seq)).values.get('solo.0' as Key)).toBe(2);
  expect((await pair.waitForSeq(last.seq)).values.get('solo.4' as Key)).toBe(2);
  expect(heldValue(pair, 'solo.3')).toBe(1);
  for (const w of [...watches, pair]) expect(w.resyncCount).toBe(1);
  for (const w of [...watches, pair]) w.close();

  // A closed watch is offered nothing.
  const after = await offeredDuring(() => db.transact([], () => ({ 'solo.7': 3 })));
  expect(after).toEqual([]);
});

test('a walk is offered the notices of keys it is about to read, and none of keys it dropped', async () => {
  const to = (...ks: string[]) => ({ to: ks.map((k) => ({ $ref: k })) });
  await db.transact([], () => ({ wr: to('wa'), wa: 1, wb: 1 }));
  const w = await db.watchWalk(['wr'], (_k, v) => refsIn(v));
  const before = await offeredDuring(() => db.transact([], () => ({ wb: 2 })));
  expect(before).toEqual([]);
  const grow = await db.transact([], () => ({ wr: to('wa', 'wb') }));
  await w.waitForSeq(grow.seq);
  const now = await offeredDuring(() => db.transact([], () => ({ wb: 3 })));
  expect(now).toEqual([w]);
  const shrink = await db.transact([], () => ({ wr: to('wb') }));
  await w.waitForSeq(shrink.seq);
  const dropped = await offeredDuring(() => db.transact([], () => ({ wa: 9 })));
  expect(dropped).toEqual([]);
  expect(new Map(w.current().values)).toEqual(
    new Map<string, unknown>([
      ['wr', to('wb')],
      ['wb', 3],
    ]),
  );
  w.close();
});

test('a skipped notice makes every watch re-read, also those the next notice does not touch', async () => {
  await db.transact([], () => ({ 'gap.a': 0, 'gap.b': 0 }));
  const a = await db.watch(['gap.a']);
  const b = await db.watch(['gap.b']);
  const ra = a.resyncCount;
  const rb = b.resyncCount;
  // The commit writing gap.a loses its notice; the next one writes gap.b only.
  const cur = (await db.get(['gap.a'])).seq;
  drop.add(cur + 1);
  const lost = await db.transact([], () => ({ 'gap.a': 1 }));
  expect(lost.seq).toBe(cur + 1);
  const next = await db.transact([], () => ({ 'gap.b': 1 }));
  const sa = await a.waitForSeq(next.seq);
  expect(sa.values.get('gap.a' as Key)).toBe(1);
  expect((await b.waitForSeq(next.seq)).values.get('gap.b' as Key)).toBe(1);
  expect(a.resyncCount).toBe(ra + 1);
  expect(b.resyncCount).toBe(rb + 1);
  a.close();
  b.close();
});

test('after a backend gap, a view behind the first notice that follows re-reads', async () => {
  await db.transact([], () => ({ 'run.a': 0, 'run.b': 0 }));
  const a = await db.watch(['run.a']);
  const b = await db.watch(['run.b']);
  const ra = a.resyncCount;
  const rb = b.resyncCount;
  listener!.onGap('test');
  // The re-reads the gap starts land before the commits below.
  while (a.resyncCount === ra || b.resyncCount === rb) await new Promise((r) => setTimeout(r, 5));
  const r1 = a.resyncCount;
  const r2 = b.resyncCount;
  // The first notice after the gap is lost too; the next (run.b only) starts the run.
  const cur = (await db.get(['run.a'])).seq;
  drop.add(cur + 1);
  await db.transact([], () => ({ 'run.a': 1 }));
  const next = await db.transact([], () => ({ 'run.b': 1 }));
  expect((await a.waitForSeq(next.seq)).values.get('run.a' as Key)).toBe(1);
  expect((await b.waitForSeq(next.seq)).values.get('run.b' as Key)).toBe(1);
  expect(a.resyncCount).toBe(r1 + 1);
  expect(b.resyncCount).toBe(r2 + 1);
  a.close();
  b.close();
});

test('a growth read in flight when a run starts behind the held keys ends in a re-read, not a stale view', async () => {
  const to = (...ks: string[]) => ({ to: ks.map((k) => ({ $ref: k })) });
  await db.transact([], () => ({ gr: to('gp'), gp: 0, gq: 0 }));
  const w = await db.watchWalk(['gr'], (_k, v) => refsIn(v));
  // The commit adding gq to the walk loses its notice; the gap's re-read finds it and reads gq.
  let release: () => void = () => undefined;
  let held = false;
  holdRead = async (keys) => {
    if (keys.length !== 1 || keys[0] !== 'gq') return;
    holdRead = null;
    held = true;
    await new Promise<void>((r) => {
      release = r;
    });
  };
  let cur = (await db.get(['gr'])).seq;
  drop.add(cur + 1);
  await db.transact([], () => ({ gr: to('gp', 'gq') }));
  listener!.onGap('test');
  while (!held) await new Promise((r) => setTimeout(r, 5));
  // While gq is read: a commit to a held key loses its notice, the next (unrelated) one arrives.
  cur = (await db.get(['gr'])).seq;
  drop.add(cur + 1);
  await db.transact([], () => ({ gp: 1 }));
  const last = await db.transact([], () => ({ 'gr.unrelated': 1 }));
  release();
  const s = await w.waitForSeq(last.seq);
  expect(new Map(s.values)).toEqual(
    new Map<string, unknown>([
      ['gr', to('gp', 'gq')],
      ['gp', 1],
      ['gq', 0],
    ]),
  );
  w.close();
});

test('property: watches of random key sets offered only intersecting notices and equal to fresh reads', async () => {
  const K = 12;
  let run = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.uniqueArray(fc.nat(K - 1), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
      fc.array(
        fc.uniqueArray(fc.tuple(fc.nat(K - 1), fc.option(fc.nat(9))), {
          minLength: 1,
          maxLength: 4,
          selector: (t) => t[0],
        }),
        {
          minLength: 1,
          maxLength: 8,
        },
      ),
      async (sets, commits) => {
        const p = `prop${run++}`;
        const key = (i: number) => `${p}.${i}`;
        const ws = await Promise.all(sets.map((s) => db.watch(s.map(key))));
        const resyncs = ws.map((w) => w.resyncCount);
        let last = -1;
        for (const c of commits) {
          const offered = await offeredDuring(async () => {
            last = (await db.transact([], () => Object.fromEntries(c.map(([i, v]) => [key(i), v])))).seq;
          });
          const expected = ws.filter((_, j) => sets[j]!.some((i) => c.some(([x]) => x === i)));
          expect(offered).toEqual(expected);
        }
        const fresh = await db.get(Array.from({ length: K }, (_, i) => key(i)));
        for (const [j, w] of ws.entries()) {
          // Untouched by the last commit, a watch publishes nothing new, but holds the latest values.
          for (const i of sets[j]!)
            expect(heldValue(w, key(i))).toEqual(fresh.values.get(key(i) as Key) ?? null);
          expect(w.resyncCount).toBe(resyncs[j]);
          w.close();
        }
        expect(last).toBeLessThanOrEqual(fresh.seq);
      },
    ),
    { numRuns: 30 },
  );
});
