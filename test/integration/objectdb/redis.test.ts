import { execFileSync } from 'node:child_process';
import { ObjectDb } from '../../../src/objectdb';
import { RedisBackend } from '../../../src/objectdb/redis/backend';
import { cleanupAll, type RedisInstance, startRedis } from '../../harness';
import { conformanceSuite } from './conformance';

let redis: RedisInstance;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(cleanupAll);

conformanceSuite('redis', () => ({
  async open(options) {
    return new ObjectDb(await RedisBackend.open(`${redis.url}/3`), options);
  },
}));

describe('Redis: notifications that never arrive', () => {
  const dbs: ObjectDb[] = [];
  afterAll(async () => {
    for (const d of dbs) await d.close();
  });
  const open = async (n: number) => {
    const d = new ObjectDb(await RedisBackend.open(`${redis.url}/${n}`));
    dbs.push(d);
    return d;
  };
  const cli = (...args: string[]) =>
    execFileSync('redis-cli', ['-p', String(redis.port), ...args]).toString();

  test('a commit whose notice was lost (a skipped sequence number) makes the watcher re-read, and it converges', async () => {
    const writer = await open(4);
    const reader = await open(4);
    await writer.transact([], () => ({ g: 1, h: 1 }));
    const w = await reader.watch(['g', 'h']);
    const before = w.resyncCount;
    // A sequence number taken with no notice published: to every watcher, a notice it missed.
    cli('-n', '4', 'INCR', 'vlcp:seq');
    const info = await writer.transact(['g', 'h'], () => ({ g: 2, h: 2 }));
    const s = await w.waitForSeq(info.seq);
    expect(s.values.get('g' as never)).toBe(2);
    expect(s.values.get('h' as never)).toBe(2);
    expect(w.resyncCount).toBe(before + 1);
    w.close();
  });

  test('commits made while the subscriber connection was cut are recovered by a re-read', async () => {
    const writer = await open(5);
    const reader = await open(5);
    await writer.transact([], () => ({ c: 0 }));
    const w = await reader.watch(['c']);
    const seen: number[] = [];
    w.onChange((s) => seen.push(s.values.get('c' as never) as number));
    const before = w.resyncCount;
    cli('CLIENT', 'KILL', 'TYPE', 'pubsub');
    let last = 0;
    for (let i = 1; i <= 20; i++) last = (await writer.transact(['c'], () => ({ c: i }))).seq;
    const s = await w.waitForSeq(last);
    expect(s.values.get('c' as never)).toBe(20);
    expect(w.resyncCount).toBeGreaterThan(before);
    // Whatever was skipped, what was seen only ever moved forward.
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    w.close();
  });
});
