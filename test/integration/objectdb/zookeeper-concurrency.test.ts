/**
 * Two OS processes x 20 routines of random transfers on ZooKeeper for 20 s, with ZooKeeper
 * restarted and one worker SIGKILLed and replaced: the total is invariant in every
 * snapshot a watcher sees; nothing acknowledged is lost; the watcher converges.
 */

import { openObjectDb, type WatchSnapshot } from '../../../src/objectdb';
import { cleanupAll, startZookeeper, type ZookeeperInstance } from '../../harness';
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

let zk: ZookeeperInstance;
const workers: Worker[] = [];
beforeAll(async () => {
  zk = await startZookeeper();
}, 60000);
afterAll(async () => {
  for (const w of workers) if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill('SIGKILL');
  await cleanupAll();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('transfers under faults: invariant in every snapshot, no acknowledged transfer lost', async () => {
  const url = `zookeeper://${zk.connectString}/transfers`;
  const db = await openObjectDb(url);
  await seedAccounts(db);
  const w = await db.watch(accountKeys);
  const badSnapshots: WatchSnapshot[] = [];
  let snapshots = 0;
  w.onChange((s) => {
    snapshots++;
    if (total(s) !== ACCOUNTS * INITIAL) badSnapshots.push(s);
  });

  workers.push(startWorker(url, 'z1', 20000), startWorker(url, 'z2', 12000));
  await sleep(6000);
  await zk.restart();
  await sleep(4000);
  workers[1]!.proc.kill('SIGKILL');
  workers.push(startWorker(url, 'z3', 8000));
  await Promise.all(workers.map((x) => x.done));

  const final = await db.get(accountKeys);
  const seen = await w.waitForSeq(final.seq);
  expect([...seen.values]).toEqual([...final.values]);
  expect(badSnapshots).toEqual([]);
  const result = await audit(db, workers);
  console.log(
    `zookeeper transfers: acked ${result.acked}, landed ${result.applied}, watcher snapshots ${snapshots}, watch resyncs ${w.resyncCount}, worker errors ${workers.reduce((n, x) => n + x.errors.length, 0)}`,
  );
  expect(result.acked).toBeGreaterThan(100);
  expect(result.lostAcked).toEqual([]);
  expect(result.balancesMatch).toBe(true);
  w.close();
  await db.close();
}, 120000);
