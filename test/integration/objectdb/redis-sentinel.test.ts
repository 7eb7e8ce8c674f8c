import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openObjectDb, toKey } from '../../../src/objectdb';
import { cleanupAll, freePort, registerCleanup, run, startRedis } from '../../harness';

afterAll(cleanupAll);

function stopPid(file: string): void {
  try {
    process.kill(Number(readFileSync(file, 'utf8').trim()), 'SIGKILL');
  } catch {
    // Already gone.
  }
}

describe('ObjectDB through Redis Sentinel', () => {
  it('finds the master through a sentinel and commits there', async () => {
    const redis = await startRedis();
    const dir = mkdtempSync(join(tmpdir(), 'vlcp-sentinel-'));
    const port = await freePort();
    const pidfile = join(dir, 'sentinel.pid');
    writeFileSync(
      join(dir, 'sentinel.conf'),
      `port ${port}\nbind 127.0.0.1\ndir ${dir}\nsentinel monitor vlcp 127.0.0.1 ${redis.port} 1\n`,
    );
    registerCleanup({
      what: `sentinel on ${port}`,
      run: async () => {
        stopPid(pidfile);
        rmSync(dir, { recursive: true, force: true });
      },
      runSync: () => stopPid(pidfile),
    });
    await run('redis-server', [
      join(dir, 'sentinel.conf'),
      '--sentinel',
      '--daemonize',
      'yes',
      '--pidfile',
      pidfile,
      '--logfile',
      join(dir, 'sentinel.log'),
    ]);
    for (let i = 0; i < 100; i++) {
      const out = await run('redis-cli', [
        '-p',
        String(port),
        'sentinel',
        'get-master-addr-by-name',
        'vlcp',
      ]).catch(() => '');
      if (out.includes(String(redis.port))) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const db = await openObjectDb(`redis-sentinel://127.0.0.1:${port}/vlcp`);
    try {
      await db.transact(['sentinel.test'], () => new Map([['sentinel.test', { via: 'sentinel' }]]));
      const snap = await db.get(['sentinel.test']);
      expect(snap.values.get(toKey('sentinel.test'))).toEqual({ via: 'sentinel' });
      // The write landed on the master the sentinel named.
      const keys = await run('redis-cli', ['-p', String(redis.port), '--scan']);
      expect(keys).toContain('sentinel.test');
    } finally {
      await db.close();
    }
  });
});
