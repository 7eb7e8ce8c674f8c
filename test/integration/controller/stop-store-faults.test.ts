/**
 * The built controller on a ZooKeeper store exits promptly on SIGTERM even when ZooKeeper
 * has stopped answering: with every byte held at a relay (connections left open), the
 * client library waited for its close-session reply and kept the process alive for
 * seconds after "stopped"; with ZooKeeper down, nothing is left to wait for either.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupAll, freePort, startTcpProxy, startZookeeper } from '../../harness';
import { startCli } from './cli-process';

afterAll(cleanupAll);

/** Far longer than exiting takes once stopped (milliseconds); the stalled client held on for 7 s. */
const EXIT_BOUND_MS = 5000;

describe.each(['stalled', 'down'] as const)('SIGTERM with ZooKeeper %s', (fault) => {
  it('logs stopped and exits with 0 at once', async () => {
    const zk = await startZookeeper();
    const relay = await startTcpProxy(zk.port);
    const run = startCli(
      [
        '--openflow-listen',
        `127.0.0.1:${await freePort()}`,
        '--webapi-listen',
        `127.0.0.1:${await freePort()}`,
        // An OVSDB listener nobody connects to: never the host's own OVSDB socket.
        '--ovsdb',
        `ptcp:${await freePort()}:127.0.0.1`,
        '--store',
        `zookeeper://127.0.0.1:${relay.port}/stop-${fault}`,
      ],
      mkdtempSync(join(tmpdir(), 'vlcp-stop-')),
    );
    try {
      await run.waitForLog('started');
      if (fault === 'stalled') relay.stall();
      else await zk.stop();
      const stopped = run.waitForLog('stopped');
      run.child.kill('SIGTERM');
      await stopped;
      const exited = await Promise.race([
        run.exit,
        new Promise((r) => setTimeout(() => r('still running'), EXIT_BOUND_MS)),
      ]);
      expect(exited).toBe(0);
    } finally {
      relay.resume();
    }
  }, 120_000);
});
