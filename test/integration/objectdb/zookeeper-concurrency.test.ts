/**
 * Two OS processes x 20 routines of random transfers on ZooKeeper for 20 s, with every
 * network connection dropped (cut at a relay between the clients and ZooKeeper), ZooKeeper
 * restarted, and one worker SIGKILLed and replaced: the total is invariant in every
 * snapshot a watcher sees; nothing acknowledged is lost; the watcher converges.
 */

import { openObjectDb, type WatchSnapshot } from '../../../src/objectdb';
import {
  cleanupAll,
  startTcpProxy,
  startZookeeper,
  type TcpProxy,
  type ZookeeperInstance,
} from '../../harness';
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
let relay: TcpProxy;
const workers: Worker[] = [];
beforeAll(async () => {
  zk = await startZookeeper();
  relay = await startTcpProxy(zk.port);
}, 60000);
afterAll(async () => {
  for (const w of workers) if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill('SIGKILL');
  await cleanupAll();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('transfers under faults: invariant in every snapshot, no acknowledged transfer lost', async () => {
  // Every client (watcher and workers) reaches ZooKeeper through the relay.
  const url = `zookeeper://127.0.0.1:${relay.port}/transfers`;
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
  await sleep(4000);
  for (let i = 0; i < 200 && relay.connections < 3; i++) await sleep(50); // both workers connected
  // A dropped network connection: every client's TCP connection cut mid-stream.
  const dropped = relay.dropAll();
  expect(dropped).toBeGreaterThanOrEqual(3);
  await sleep(3000);
  await zk.restart();
  await sleep(3000);
  workers[1]!.proc.kill('SIGKILL');
  workers.push(startWorker(url, 'z3', 8000));
  await Promise.all(workers.map((x) => x.done));

  const final = await db.get(accountKeys);
  const seen = await w.waitForSeq(final.seq);
  expect([...seen.values]).toEqual([...final.values]);
  // The cut and the restart were noticed as gaps and the view re-read (start-up is one).
  expect(w.resyncCount).toBeGreaterThanOrEqual(2);
  expect(badSnapshots).toEqual([]);
  // Watchers inside the writer processes saw only whole transactions too.
  expect(workers.flatMap((x) => x.badSnapshots)).toEqual([]);
  expect(workers.every((x) => x.watched.count > 0)).toBe(true);
  const result = await audit(db, workers);
  console.log(
    `zookeeper transfers: acked ${result.acked}, landed ${result.applied}, watcher snapshots ${snapshots}, watch resyncs ${w.resyncCount}, worker errors ${workers.reduce((n, x) => n + x.errors.length, 0)}`,
  );
  expect(result.acked).toBeGreaterThan(100);
  expect(result.lostAcked).toEqual([]);
  expect(result.balancesMatch).toBe(true);
  w.close();
  await db.close();
}, 300000); // ~35 s of transfers plus a ZooKeeper restart; generous for a loaded machine
