/**
 * A one-member clustered (Raft) Open_vSwitch database served by a private ovsdb-server:
 * unlike a standalone database it keeps a transaction history, so monitor_cond_since can
 * resume from a transaction id instead of resending everything. No ovs-vswitchd.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { instanceDir, killPidFiles, registerCleanup } from './cleanup';
import { freePort, withFreePort } from './ports';
import { CommandError, run, script } from './run';

export interface OvsdbClusterInstance {
  readonly dir: string;
  readonly dbSock: string;
  readonly dbTcpPort: number;
  vsctl(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

const SCHEMA = '/usr/share/openvswitch/vswitch.ovsschema';

export async function startOvsdbCluster(): Promise<OvsdbClusterInstance> {
  const dir = instanceDir('ovsdb-cluster');
  const dbFile = join(dir, 'conf.db');
  const dbSock = join(dir, 'db.sock');
  const raftPort = await freePort();
  try {
    await run('ovsdb-tool', ['create-cluster', dbFile, SCHEMA, `tcp:127.0.0.1:${raftPort}`]);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    if (e instanceof CommandError && /ENOENT|not found/.test(e.message))
      throw new Error('ovsdb-tool not found: install the Debian package openvswitch-switch');
    throw e;
  }
  const dbTcpPort = await withFreePort(async (port) => {
    await run('ovsdb-server', [
      dbFile,
      `--remote=punix:${dbSock}`,
      `--remote=ptcp:${port}:127.0.0.1`,
      `--pidfile=${join(dir, 'ovsdb-server.pid')}`,
      `--unixctl=${join(dir, 'ovsdb-server.ctl')}`,
      `--log-file=${join(dir, 'ovsdb-server.log')}`,
      '-vconsole:off',
      '--detach',
      '--no-chdir',
    ]);
    return port;
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    unregister();
    await script('stop-pidfiles', [join(dir, 'ovsdb-server.pid')]);
    rmSync(dir, { recursive: true, force: true });
  };
  const unregister = registerCleanup({
    what: `clustered ovsdb-server in ${dir}`,
    run: stop,
    runSync: () => killPidFiles(dir),
  });
  const vsctl = (...a: string[]) =>
    run('ovs-vsctl', [`--db=unix:${dbSock}`, '--no-wait', '--timeout=20', ...a]);
  // The cluster elects its only member leader within a moment; init waits for that.
  for (let i = 0; ; i++) {
    try {
      await vsctl('init');
      break;
    } catch (e) {
      if (i >= 50) {
        await stop();
        throw e;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { dir, dbSock, dbTcpPort, vsctl, stop };
}
