/**
 * A watcher whose ZooKeeper session expires (its process frozen with SIGSTOP past the
 * session timeout) opens a new session, resyncs, and converges on what was committed.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { openObjectDb } from '../../../src/objectdb';
import { cleanupAll, startZookeeper, type ZookeeperInstance } from '../../harness';

let zk: ZookeeperInstance;
beforeAll(async () => {
  zk = await startZookeeper();
}, 60000);
afterAll(cleanupAll);

test('session expiry: the watcher resyncs and sees commits made while it was gone', async () => {
  const url = `zookeeper://${zk.connectString}/expiry`;
  const db = await openObjectDb(url);
  await db.transact([], () => ({ probe: 'before' }));
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'watch-worker.ts'), url], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    let out = '';
    const waitFor = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (out.includes(text)) {
            child.stdout.off('data', onData);
            resolve();
          }
        };
        const onData = (d: Buffer) => {
          out += d.toString();
          check();
        };
        child.stdout.on('data', onData);
        check();
      });
    await waitFor('"before"');
    child.kill('SIGSTOP');
    await db.transact([], () => ({ probe: 'while-frozen' }));
    // Past the 10 s session timeout: the server expires the frozen client's session.
    await new Promise((r) => setTimeout(r, 16000));
    child.kill('SIGCONT');
    await waitFor('"while-frozen"');
    // Seen through a resync (the expired session's watch is gone), not a plain notice.
    expect(out).toMatch(/"while-frozen" resyncs [2-9]/);
    await db.transact([], () => ({ probe: 'after' }));
    await waitFor('"after"');
    expect(out).toContain('"after"');
  } finally {
    child.kill('SIGKILL');
    await db.close();
  }
}, 90000);
