import zookeeper from 'node-zookeeper-client';
import { openObjectDb } from '../../../src/objectdb';
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
