/** Embedded backend: durability across reopen, crash (kill -9), torn records, compaction, lock. */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CorruptStoreError, DirectoryLockedError, EmbeddedBackend, ObjectDb } from '../../../src/objectdb';

const dirs: string[] = [];
const children: ChildProcess[] = [];
function freshDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'objectdb-dur-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function openDb(dir: string, compactAfterBytes?: number): Promise<ObjectDb> {
  return new ObjectDb(await EmbeddedBackend.open(dir, compactAfterBytes ? { compactAfterBytes } : {}));
}

test('committed data survives close and reopen', async () => {
  const dir = freshDir();
  let db = await openDb(dir);
  await db.transact([], () => ({ a: 1, b: { c: [1, 2] } }));
  await db.transact(['a'], () => ({ a: null, d: 'x' }));
  await db.close();
  db = await openDb(dir);
  const s = await db.get(['a', 'b', 'd']);
  expect([...s.values.values()]).toEqual([null, { c: [1, 2] }, 'x']);
  expect(s.seq).toBe(2);
  await db.close();
});

test("a second opener of a live directory gets DirectoryLockedError; a dead owner's lock is reclaimed", async () => {
  const dir = freshDir();
  const db = await openDb(dir);
  await expect(EmbeddedBackend.open(dir)).rejects.toBeInstanceOf(DirectoryLockedError);
  await db.close();
  // PID 2^22+1 is above Linux's pid_max default, so no live process holds it.
  writeFileSync(join(dir, 'LOCK'), `${2 ** 22 + 1}\n`);
  const again = await openDb(dir);
  await again.close();
});

test('a torn last record is dropped; earlier records stay', async () => {
  const dir = freshDir();
  let db = await openDb(dir);
  for (let i = 0; i < 5; i++) await db.transact([], () => ({ [`k${i}`]: i }));
  await db.close();
  const log = join(dir, 'log');
  const size = readFileSync(log).length;
  truncateSync(log, size - 3); // the crash cut the last append short
  db = await openDb(dir);
  const s = await db.get(['k3', 'k4']);
  expect([...s.values.values()]).toEqual([3, null]);
  // The log was cut back to whole records, so new commits append cleanly.
  await db.transact([], () => ({ k4: 'again' }));
  await db.close();
  db = await openDb(dir);
  expect((await db.get(['k4'])).values.get('k4' as never)).toBe('again');
  await db.close();
});

test('damage in the middle of the log is reported, not silently skipped', async () => {
  const dir = freshDir();
  const db = await openDb(dir);
  for (let i = 0; i < 3; i++) await db.transact([], () => ({ [`k${i}`]: i }));
  await db.close();
  const log = join(dir, 'log');
  const buf = readFileSync(log);
  buf[12] = buf[12]! ^ 0xff;
  writeFileSync(log, buf);
  await expect(EmbeddedBackend.open(dir)).rejects.toBeInstanceOf(CorruptStoreError);
});

test('compaction keeps every value and truncates the log; garbage after the snapshot is harmless', async () => {
  const dir = freshDir();
  let db = await openDb(dir, 4096);
  for (let i = 0; i < 300; i++) await db.transact([`k${i % 50}`], () => ({ [`k${i % 50}`]: i }));
  await db.close();
  expect(readFileSync(join(dir, 'log')).length).toBeLessThan(4096 + 200);
  appendFileSync(join(dir, 'log'), Buffer.from([0, 0, 0]));
  db = await openDb(dir);
  const s = await db.get(Array.from({ length: 50 }, (_, i) => `k${i}`));
  expect(s.seq).toBe(300);
  for (let i = 0; i < 50; i++) expect(s.values.get(`k${i}` as never)).toBe(250 + i);
  await db.close();
});

test('group commit: concurrent transactions share fsyncs', async () => {
  const dir = freshDir();
  const backend = await EmbeddedBackend.open(dir);
  const db = new ObjectDb(backend);
  await Promise.all(Array.from({ length: 200 }, (_, i) => db.transact([], () => ({ [`g${i}`]: i }))));
  expect(backend.fsyncCount).toBeLessThan(100);
  await db.close();
});

test('kill -9 of a writer mid-stream loses no acknowledged transaction', async () => {
  const dir = freshDir();
  // node --import tsx: one process, so SIGKILL hits the writer itself, not a wrapper.
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'embedded-writer.ts'), dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const acked: string[] = [];
  let buf = '';
  await new Promise<void>((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) {
        if (l === 'ready') {
          // While the writer lives, its lock keeps us out.
          EmbeddedBackend.open(dir).then(
            () => reject(new Error('opened a locked directory')),
            (e: unknown) => {
              if (!(e instanceof DirectoryLockedError)) reject(e);
            },
          );
        }
        if (l.startsWith('ack ')) acked.push(l.slice(4));
      }
      if (acked.length >= 2000 && child.exitCode === null) {
        child.removeAllListeners('exit');
        child.kill('SIGKILL');
        child.on('exit', () => resolve());
      }
    });
  });
  const db = await openDb(dir);
  const snap = await db.get([...acked, 'w.count']);
  const missing = acked.filter((k) => snap.values.get(k as never) === null);
  expect(missing).toEqual([]);
  // The counter moved with every key, so it covers at least every acknowledged commit.
  expect(snap.values.get('w.count' as never) as number).toBeGreaterThanOrEqual(acked.length);
  await db.close();
});
