/**
 * A private ovsdb-server alone (no ovs-vswitchd) serving the Open_vSwitch schema, for OVSDB
 * protocol tests that need what `startOvs` does not give: a clustered (Raft) database, which
 * keeps a transaction history so monitor_cond_since can resume from a transaction id, or an
 * SSL remote (`pssl:`), which checks client certificates against its CA.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { instanceDir, killPidFiles } from './cleanup';
import { freePort, withFreePort } from './ports';
import { registerStop } from './register-stop';
import { CommandError, run, script } from './run';
import { selfSignedCert, type TestCertificate } from './tls';

export interface OvsdbServerOptions {
  /** A one-member Raft cluster instead of a standalone database file. */
  readonly clustered?: boolean;
  /** Also listen on `pssl:sslPort:127.0.0.1` with a fresh self-signed certificate (its own CA). */
  readonly ssl?: boolean;
}

export interface OvsdbServerInstance {
  readonly dir: string;
  readonly dbSock: string;
  readonly dbTcpPort: number;
  /** With `ssl`: the pssl port and the certificate (clients present it too: it is the CA). */
  readonly sslPort: number | undefined;
  readonly certificate: TestCertificate | undefined;
  vsctl(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** Kept for callers of the first version of this helper. */
export type OvsdbClusterInstance = OvsdbServerInstance;

const SCHEMA = '/usr/share/openvswitch/vswitch.ovsschema';

export function startOvsdbCluster(): Promise<OvsdbServerInstance> {
  return startOvsdbServer({ clustered: true });
}

export async function startOvsdbServer(options: OvsdbServerOptions = {}): Promise<OvsdbServerInstance> {
  const dir = instanceDir(options.clustered ? 'ovsdb-cluster' : 'ovsdb-server');
  const dbFile = join(dir, 'conf.db');
  const dbSock = join(dir, 'db.sock');
  try {
    if (options.clustered) {
      const raftPort = await freePort();
      await run('ovsdb-tool', ['create-cluster', dbFile, SCHEMA, `tcp:127.0.0.1:${raftPort}`]);
    } else await run('ovsdb-tool', ['create', dbFile, SCHEMA]);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    if (e instanceof CommandError && /ENOENT|not found/.test(e.message))
      throw new Error('ovsdb-tool not found: install the Debian package openvswitch-switch');
    throw e;
  }
  const certificate = options.ssl ? selfSignedCert(dir) : undefined;
  const sslPort = options.ssl ? await freePort() : undefined;
  const dbTcpPort = await withFreePort(async (port) => {
    await run('ovsdb-server', [
      dbFile,
      `--remote=punix:${dbSock}`,
      `--remote=ptcp:${port}:127.0.0.1`,
      // Managers set with `ovs-vsctl set-manager` are remotes too (passive-end tests).
      '--remote=db:Open_vSwitch,Open_vSwitch,manager_options',
      ...(certificate
        ? [
            `--remote=pssl:${sslPort}:127.0.0.1`,
            `--private-key=${certificate.keyFile}`,
            `--certificate=${certificate.certFile}`,
            `--ca-cert=${certificate.certFile}`,
          ]
        : []),
      `--pidfile=${join(dir, 'ovsdb-server.pid')}`,
      `--unixctl=${join(dir, 'ovsdb-server.ctl')}`,
      `--log-file=${join(dir, 'ovsdb-server.log')}`,
      '-vconsole:off',
      '--detach',
      '--no-chdir',
    ]);
    return port;
  });
  const stop = registerStop(
    `ovsdb-server in ${dir}`,
    async () => {
      await script('stop-pidfiles', [join(dir, 'ovsdb-server.pid')]);
      rmSync(dir, { recursive: true, force: true });
    },
    () => killPidFiles(dir),
  );
  const vsctl = (...a: string[]) =>
    run('ovs-vsctl', [`--db=unix:${dbSock}`, '--no-wait', '--timeout=20', ...a]);
  // A cluster elects its only member leader within a moment; init waits for that.
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
  return { dir, dbSock, dbTcpPort, sslPort, certificate, vsctl, stop };
}
