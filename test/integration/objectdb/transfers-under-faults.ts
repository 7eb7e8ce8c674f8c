/**
 * The body of the multi-process transfer test, one for every backend: a watcher on the
 * accounts, two worker processes of random transfers, then the backend's faults (every
 * connection cut, the server restarted) and one worker SIGKILLed and replaced. Asserts the
 * total is invariant in every snapshot any watcher saw, the watcher converges, and nothing
 * acknowledged is lost.
 */
import type { ObjectDb, Watch, WatchSnapshot } from '../../../src/objectdb';
import { registerCleanup } from '../../harness';
import {
  ACCOUNTS,
  accountKeys,
  audit,
  INITIAL,
  readAfterFaults,
  seedAccounts,
  startWorker,
  total,
  type Worker,
} from './transfers';

export interface TransferFaults {
  /** Names the backend in the summary line. */
  readonly backend: string;
  /** What the workers open. */
  readonly url: string;
  /** The test's own client of the same store. */
  readonly db: ObjectDb;
  /** Prefix of the worker names (`${prefix}1`, ...). */
  readonly prefix: string;
  /** Cuts every client's connection (the test may assert the cut happened). */
  cutConnections(): Promise<void> | void;
  /** Restarts the server, keeping its data. */
  restart(): Promise<void>;
  /** Acknowledged transfers at least (a floor that says the run did real work). */
  readonly minAcked: number;
  /** Checks on the test's watcher once it has caught up. */
  checkWatch?(w: Watch): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function transfersUnderFaults(f: TransferFaults): Promise<void> {
  const workers: Worker[] = [];
  registerCleanup({
    what: `${f.backend} transfer workers`,
    run: async () => killWorkers(workers),
    runSync: () => killWorkers(workers),
  });
  const { db, url } = f;
  await seedAccounts(db);
  const w = await db.watch(accountKeys);
  const badSnapshots: WatchSnapshot[] = [];
  let snapshots = 0;
  w.onChange((s) => {
    snapshots++;
    if (total(s) !== ACCOUNTS * INITIAL) badSnapshots.push(s);
  });

  workers.push(startWorker(url, `${f.prefix}1`, 20000), startWorker(url, `${f.prefix}2`, 12000));
  await sleep(4000);
  await f.cutConnections();
  await sleep(3000);
  await f.restart();
  await sleep(3000);
  workers[1]!.proc.kill('SIGKILL');
  workers.push(startWorker(url, `${f.prefix}3`, 8000));
  await Promise.all(workers.map((x) => x.done));

  const final = await readAfterFaults(db, accountKeys);
  const seen = await w.waitForSeq(final.seq);
  expect(total(seen)).toBe(ACCOUNTS * INITIAL);
  expect([...seen.values]).toEqual([...final.values]);
  f.checkWatch?.(w);
  expect(badSnapshots).toEqual([]);
  // Watchers inside the writer processes saw only whole transactions too.
  expect(workers.flatMap((x) => x.badSnapshots)).toEqual([]);
  // Every worker that ran to the end watched its own commits (the one killed early may have
  // been killed before it started, on a loaded machine).
  const finished = workers.filter((x) => x.finished.value);
  expect(finished.length).toBeGreaterThanOrEqual(2);
  expect(finished.map((x) => x.watched.count > 0)).toEqual(finished.map(() => true));
  const result = await audit(db, workers);
  console.log(
    `${f.backend} transfers: acked ${result.acked}, landed ${result.applied}, watcher snapshots ${snapshots}, watch resyncs ${w.resyncCount}, worker errors ${workers.reduce((n, x) => n + x.errors.length, 0)}`,
  );
  expect(result.acked).toBeGreaterThan(f.minAcked);
  expect(result.lostAcked).toEqual([]);
  expect(result.balancesMatch).toBe(true);
  w.close();
}

function killWorkers(workers: readonly Worker[]): void {
  for (const w of workers) if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill('SIGKILL');
}
