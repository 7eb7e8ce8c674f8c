/** Shared driver for the multi-process transfer test: workers, invariant watcher, final audit. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { BackendError, type ObjectDb, type WatchSnapshot } from '../../../src/objectdb';

export const ACCOUNTS = 100;
export const INITIAL = 1000;

export interface Worker {
  readonly proc: ChildProcess;
  readonly tried: Set<string>;
  readonly acked: Set<string>;
  readonly errors: string[];
  /** Snapshots this worker's own watcher saw with a wrong total (`SEQ TOTAL`). */
  readonly badSnapshots: string[];
  /** How many snapshots its watcher had seen at the last report. */
  readonly watched: { count: number };
  /** Whether it ran to the end: closed its store and said `done` (a killed worker did not). */
  readonly finished: { value: boolean };
  readonly done: Promise<void>;
}

export function startWorker(url: string, name: string, durationMs: number): Worker {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'transfer-worker.ts'), url, name, String(durationMs)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const tried = new Set<string>();
  const acked = new Set<string>();
  const errors: string[] = [];
  const badSnapshots: string[] = [];
  const watched = { count: 0 };
  let buf = '';
  proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop()!;
    for (const l of lines) {
      const [what, id, rest] = l.split(' ');
      if (what === 'try') tried.add(id!);
      else if (what === 'ack') acked.add(id!);
      else if (what === 'err') errors.push(`${id} ${rest}`);
      else if (what === 'bad') badSnapshots.push(`${id} ${rest}`);
      else if (what === 'watched') watched.count = Number(id);
      else if (what === 'done') {
        finished.value = true;
        resolveDone();
      }
    }
  });
  // Done once the worker has closed its store and said so (or has exited): how long its
  // process then takes to exit (client timers winding down on a loaded machine) is not
  // what these tests check.
  const finished = { value: false };
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
    proc.on('exit', () => resolve());
  });
  return { proc, tried, acked, errors, badSnapshots, watched, finished, done };
}

export async function seedAccounts(db: ObjectDb): Promise<void> {
  await db.transact([], () =>
    Object.fromEntries(Array.from({ length: ACCOUNTS }, (_, i) => [`acct.${i}`, INITIAL])),
  );
}

export const accountKeys = Array.from({ length: ACCOUNTS }, (_, i) => `acct.${i}`);

export function total(s: WatchSnapshot): number {
  let t = 0;
  for (const v of s.values.values()) t += v as number;
  return t;
}

export interface Audit {
  readonly acked: number;
  readonly applied: number;
  readonly lostAcked: string[];
  readonly balancesMatch: boolean;
}

/** Every acknowledged transfer is there, and balances equal the sum of the transfers that landed. */
/**
 * A read after the faults: a request sent on a connection that died unnoticed gets no answer
 * (ZooKeeper: the backend gives up after its op timeout and opens a new session), so a
 * failed read is tried again, a bounded number of times.
 */
export async function readAfterFaults(db: ObjectDb, keys: readonly string[]): ReturnType<ObjectDb['get']> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.get(keys);
    } catch (e) {
      if (!(e instanceof BackendError) || attempt >= 4) throw e;
    }
  }
}

export async function audit(db: ObjectDb, workers: readonly Worker[]): Promise<Audit> {
  const tried = workers.flatMap((w) => [...w.tried]);
  const snap = await readAfterFaults(db, [...accountKeys, ...tried.map((id) => `xfer.${id}`)]);
  const expected = new Array<number>(ACCOUNTS).fill(INITIAL);
  let applied = 0;
  const landed = new Set<string>();
  for (const id of tried) {
    const x = snap.values.get(`xfer.${id}` as never) as { a: number; b: number; amt: number } | null;
    if (!x) continue;
    landed.add(id);
    applied++;
    expected[x.a]! -= x.amt;
    expected[x.b]! += x.amt;
  }
  const lostAcked = workers.flatMap((w) => [...w.acked].filter((id) => !landed.has(id)));
  const balancesMatch = accountKeys.every((k, i) => snap.values.get(k as never) === expected[i]);
  return { acked: workers.reduce((n, w) => n + w.acked.size, 0), applied, lostAcked, balancesMatch };
}
