import zookeeper from 'node-zookeeper-client';
import { openObjectDb, TransactionTooLargeError } from '../../../src/objectdb';
import { cleanupAll, startZookeeper, type ZookeeperInstance } from '../../harness';
import { conformanceSuite } from './conformance';

let zk: ZookeeperInstance;
beforeAll(async () => {
  zk = await startZookeeper();
}, 60000);
afterAll(cleanupAll);

conformanceSuite('zookeeper', () => ({
  open: (options) => openObjectDb(`zookeeper://${zk.connectString}/conformance`, options),
}));

describe('ZooKeeper: notifications that never arrive', () => {
  test('a commit whose log entry is gone (pruned before it was read) makes the watcher re-read, and it converges', async () => {
    const url = `zookeeper://${zk.connectString}/gap`;
    const writer = await openObjectDb(url);
    const reader = await openObjectDb(url);
    const raw = zookeeper.createClient(zk.connectString);
    try {
      await writer.transact([], () => ({ g: 1, h: 1 }));
      const w = await reader.watch(['g', 'h']);
      const before = w.resyncCount;
      await new Promise<void>((resolve) => {
        raw.once('connected', () => resolve());
        raw.connect();
      });
      // Bump the commit counter with no log entry: watchers find the commit's notice missing.
      await new Promise<void>((resolve, reject) =>
        raw.setData('/gap/seq', Buffer.alloc(0), -1, (err) => (err ? reject(err) : resolve())),
      );
      const info = await writer.transact(['g', 'h'], () => ({ g: 2, h: 2 }));
      const s = await w.waitForSeq(info.seq);
      expect(s.values.get('g' as never)).toBe(2);
      expect(s.values.get('h' as never)).toBe(2);
      expect(w.resyncCount).toBeGreaterThan(before);
      w.close();
    } finally {
      raw.close();
      await writer.close();
      await reader.close();
    }
  });
});

describe('ZooKeeper: request size', () => {
  test("a transaction over ZooKeeper's request limit fails at once with a clear error, writes nothing, and the client goes on", async () => {
    const db = await openObjectDb(`zookeeper://${zk.connectString}/size`);
    try {
      // Large values below the limit are stored and read back exactly.
      const big = 'b'.repeat(400_000);
      await db.transact([], () => ({ ok: big }));
      expect((await db.get(['ok'])).values.get('ok' as never)).toBe(big);

      // Each under ObjectDB's 1 MiB value limit; together (with the log copy) over ZooKeeper's.
      const tooLarge: Record<string, string>[] = [
        { one: 'x'.repeat(900_000) },
        { a: 'x'.repeat(400_000), b: 'y'.repeat(400_000), c: 'z'.repeat(400_000) },
      ];
      for (const writes of tooLarge) {
        const err = await db.transact([], () => ({ ...writes, marker: 1 })).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(TransactionTooLargeError);
        expect((err as Error).message).toMatch(/over its 1000000-byte limit; nothing written \(largest: /);
        const snap = await db.get([...Object.keys(writes), 'marker']);
        expect([...snap.values.values()].every((v) => v === null)).toBe(true);
      }
      // The session is unharmed.
      const info = await db.transact(['ok'], () => ({ ok: 'small' }));
      expect(info.seq).toBeGreaterThan(0);
      expect((await db.get(['ok'])).values.get('ok' as never)).toBe('small');
    } finally {
      await db.close();
    }
  });
});
