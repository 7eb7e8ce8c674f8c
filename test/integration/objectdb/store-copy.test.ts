/**
 * The whole store copied (copyStore) and written into an empty one (importStore), on every
 * backend and across backends: a copy equals the state a model of random edits predicts; a
 * copy taken while another client keeps committing is one moment (keys written together are
 * there together); an import reproduces the copy, in one transaction or in chunks, and is
 * refused by a store that holds anything, which it leaves as it was.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  copyStore,
  importStore,
  type JsonValue,
  type Key,
  type ObjectDb,
  openObjectDb,
  StoreNotEmptyError,
} from '../../../src/objectdb';
import {
  cleanupAll,
  type RedisInstance,
  startRedis,
  startZookeeper,
  type ZookeeperInstance,
} from '../../harness';

let redis: RedisInstance;
let zk: ZookeeperInstance;
const opened: ObjectDb[] = [];
let fresh = 0;

beforeAll(async () => {
  [redis, zk] = await Promise.all([startRedis(), startZookeeper()]);
}, 60_000);
afterAll(async () => {
  for (const d of opened) await d.close().catch(() => undefined);
  await cleanupAll();
});

type Kind = 'embedded' | 'redis' | 'zookeeper';
const KINDS: readonly Kind[] = ['embedded', 'redis', 'zookeeper'];

/** A store of `kind` that nobody has written to. */
async function emptyStore(kind: Kind): Promise<ObjectDb> {
  fresh++;
  const url =
    kind === 'embedded'
      ? `embedded:${mkdtempSync(join(tmpdir(), 'store-copy-'))}`
      : kind === 'redis'
        ? `${redis.url}/${fresh % 16}`
        : `zookeeper://${zk.connectString}/copy${fresh}`;
  const db = await openObjectDb(url);
  if (kind === 'redis') {
    // Redis has 16 numbered databases: empty the one this store takes.
    const { values } = await copyStore(db);
    if (values.size > 0)
      await db.transact([...values.keys()], () =>
        Object.fromEntries([...values.keys()].map((k) => [k, null])),
      );
  }
  opened.push(db);
  return db;
}

const key = fc.constantFrom(...['a', 'b', 'c', 'd.e', 'viperflow.logicalport.x', 'n.1']);
const value: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.integer(),
  fc.string({ maxLength: 8 }),
  fc.record({ id: fc.string({ maxLength: 4 }), n: fc.integer() }),
  fc.constant({ $ref: 'a' }),
);
/** A transaction: keys to write (a value) or delete (null). */
const edit = fc.dictionary(key, fc.option(value, { nil: null }), { minKeys: 1, maxKeys: 3 });

describe.each(KINDS)('copyStore and importStore on %s', (kind) => {
  it('a copy is what the edits left: written keys with their values, deleted ones absent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 8 }), async (edits) => {
        const db = await emptyStore(kind);
        const model = new Map<string, JsonValue>();
        for (const e of edits) {
          await db.transact([], () => e);
          for (const [k, v] of Object.entries(e)) {
            if (v === null) model.delete(k);
            else model.set(k, v);
          }
        }
        const copy = await copyStore(db);
        expect(Object.fromEntries(copy.values)).toEqual(Object.fromEntries(model));
        // Keys come sorted, so two copies of one state are the same file.
        expect([...copy.values.keys()]).toEqual([...model.keys()].sort());
      }),
      { numRuns: kind === 'embedded' ? 30 : 10 },
    );
  }, 120_000);

  it('a copy taken while another client commits is one moment: keys written together are there together', async () => {
    const db = await emptyStore(kind);
    let stop = false;
    let commits = 0;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        // Pair i appears with one commit; pair i-3 leaves with the same commit.
        await db.transact([], () => ({
          [`pair.${i}.a`]: i,
          [`pair.${i}.b`]: i,
          ...(i >= 3 ? { [`pair.${i - 3}.a`]: null, [`pair.${i - 3}.b`]: null } : {}),
        }));
        commits++;
        await new Promise((r) => setTimeout(r, 3));
      }
    })();
    try {
      const copies = [];
      while (copies.length < 15) {
        if (commits < 3) {
          await new Promise((r) => setTimeout(r, 5));
          continue;
        }
        copies.push(await copyStore(db, 200));
      }
      for (const copy of copies) {
        const ids = [...copy.values.keys()].map((k) => k.split('.')[1]);
        // Every pair whole, and exactly the three newest at that moment.
        for (const id of new Set(ids)) {
          expect(copy.values.get(`pair.${id}.a` as Key)).toBe(Number(id));
          expect(copy.values.get(`pair.${id}.b` as Key)).toBe(Number(id));
        }
        const newest = Math.max(...ids.map(Number));
        expect(new Set(ids)).toEqual(new Set([newest - 2, newest - 1, newest].map(String)));
      }
    } finally {
      stop = true;
      await writer;
    }
  }, 120_000);

  it('an import into an empty store reproduces the copy, whole or in chunks', async () => {
    const source = await emptyStore(kind);
    const big = 'x'.repeat(300);
    await source.transact([], () =>
      Object.fromEntries(
        Array.from({ length: 60 }, (_, i) => [`obj.${i}`, { i, big, ref: { $ref: `obj.${(i + 1) % 60}` } }]),
      ),
    );
    const copy = await copyStore(source);
    expect(copy.values.size).toBe(60);
    for (const chunkBytes of [1024 * 1024, 2000]) {
      const target = await emptyStore(kind);
      const r = await importStore(target, copy.values, chunkBytes);
      expect(r.keys).toBe(60);
      if (chunkBytes === 2000) expect(r.transactions).toBeGreaterThan(5);
      else expect(r.transactions).toBe(1);
      expect(Object.fromEntries((await copyStore(target)).values)).toEqual(Object.fromEntries(copy.values));
    }
  }, 120_000);

  it('an import into a store that holds anything is refused and writes nothing', async () => {
    const target = await emptyStore(kind);
    await target.transact([], () => ({ 'already.here': 1 }));
    const before = await copyStore(target);
    const e = await importStore(target, new Map<Key, JsonValue>([['obj.1' as Key, 1]])).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(StoreNotEmptyError);
    expect((e as Error).message).toMatch(
      /already holds 1 key \(already\.here\); import only into an empty store/,
    );
    expect(Object.fromEntries((await copyStore(target)).values)).toEqual(Object.fromEntries(before.values));
  }, 60_000);
});

it('a copy moves between backends unchanged: embedded -> redis -> zookeeper -> embedded', async () => {
  const first = await emptyStore('embedded');
  await first.transact([], () => ({
    'viperflow.logicalnetwork.ln1': {
      id: 'ln1',
      nwid: 1,
      physicalnetwork: { $ref: 'viperflow.physicalnetwork.p' },
    },
    'viperflow.physicalnetwork.p': { id: 'p', type: 'vlan', vlanrange: [[10, 20]] },
    'weird.key-with_chars:1': ['é', 1.5, true, null, { nested: [] }],
  }));
  const want = Object.fromEntries((await copyStore(first)).values);
  let from = first;
  for (const kind of ['redis', 'zookeeper', 'embedded'] as const) {
    const to = await emptyStore(kind);
    await importStore(to, (await copyStore(from)).values);
    expect(Object.fromEntries((await copyStore(to)).values)).toEqual(want);
    from = to;
  }
}, 60_000);
