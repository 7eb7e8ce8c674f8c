/**
 * Two OS processes x 20 routines of random transfers on Redis for 20 s, with faults: every
 * connection killed (CLIENT KILL), Redis restarted, one worker SIGKILLed and replaced. The
 * total is invariant in every snapshot a watcher sees; nothing acknowledged is lost.
 */
import { execFileSync } from 'node:child_process';
import { ObjectDb, type WatchSnapshot } from '../../../src/objectdb';
import { RedisBackend } from '../../../src/objectdb/redis/backend';
import { cleanupAll, type RedisInstance, startRedis } from '../../harness';
import {
  ACCOUNTS,
  accountKeys,
  audit,
  INITIAL,
  seedAccounts,
  startWorker,
  total,
  type Worker,
} from './transfers';

let redis: RedisInstance;
const workers: Worker[] = [];
beforeAll(async () => {
  redis = await startRedis({ appendOnly: true });
});
afterAll(async () => {
  for (const w of workers) if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill('SIGKILL');
  await cleanupAll();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('transfers under faults: invariant in every snapshot, no acknowledged transfer lost', async () => {
  const url = `${redis.url}/1`;
  const db = new ObjectDb(await RedisBackend.open(url));
  await seedAccounts(db);
  const w = await db.watch(accountKeys);
  const badSnapshots: WatchSnapshot[] = [];
  let snapshots = 0;
  w.onChange((s) => {
    snapshots++;
    if (total(s) !== ACCOUNTS * INITIAL) badSnapshots.push(s);
  });

  workers.push(startWorker(url, 'p1', 20000), startWorker(url, 'p2', 12000));
  await sleep(4000);
  execFileSync('redis-cli', ['-p', String(redis.port), 'CLIENT', 'KILL', 'TYPE', 'normal']);
  execFileSync('redis-cli', ['-p', String(redis.port), 'CLIENT', 'KILL', 'TYPE', 'pubsub']);
  await sleep(3000);
  await redis.restart();
  await sleep(3000);
  workers[1]!.proc.kill('SIGKILL');
  workers.push(startWorker(url, 'p3', 8000));
  await Promise.all(workers.map((x) => x.done));

  const final = await db.get(accountKeys);
  const seen = await w.waitForSeq(final.seq);
  expect(total(seen)).toBe(ACCOUNTS * INITIAL);
  expect([...seen.values]).toEqual([...final.values]);
  expect(badSnapshots).toEqual([]);
  // Watchers inside the writer processes saw only whole transactions too.
  expect(workers.flatMap((x) => x.badSnapshots)).toEqual([]);
  expect(workers.every((x) => x.watched.count > 0)).toBe(true);
  const result = await audit(db, workers);
  console.log(
    `redis transfers: acked ${result.acked}, landed ${result.applied}, watcher snapshots ${snapshots}, watch resyncs ${w.resyncCount}, worker errors ${workers.reduce((n, x) => n + x.errors.length, 0)}`,
  );
  expect(result.acked).toBeGreaterThan(1000);
  expect(result.lostAcked).toEqual([]);
  expect(result.balancesMatch).toBe(true);
  w.close();
  await db.close();
}, 90000);
