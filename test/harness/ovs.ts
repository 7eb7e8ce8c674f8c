/** A private Open vSwitch for one test file: its own folder, sockets, TCP port and logs. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { instanceDir, killPidFiles } from './cleanup';
import { type ControllerRelay, startControllerRelay } from './controller-relay';
import { createNetns } from './netns';
import { withFreePort } from './ports';
import { registerStop } from './register-stop';
import { run, script } from './run';

export interface OvsOptions {
  /**
   * Run both daemons inside this (existing) network namespace: a second "host". Without it
   * (and without `dummy`) the harness makes a namespace of its own for this OVS: the
   * userspace datapath creates tap devices (`ovs-netdev`, one per bridge and internal port)
   * that outlive ovs-vswitchd and clash between two instances in one namespace.
   */
  readonly netns?: string;
  /**
   * Every interface and datapath is a `dummy` one (ovs-vswitchd --enable-dummy=override):
   * no tap devices, no traffic, any number of instances side by side in the root namespace,
   * so a controller on tcp:127.0.0.1 is reachable. For OpenFlow/OVSDB/scale tests.
   */
  readonly dummy?: boolean;
  /** external_ids:system-id of this "host". */
  readonly systemId?: string;
}

export interface BridgeOptions {
  /**
   * Point the bridge at a controller on tcp:127.0.0.1:PORT. With `startOvs({ netns })` that
   * is the loopback of the given namespace (run the controller there); with the harness'
   * own namespace (`startOvs()`) it is the test process' loopback, reached through a relay
   * (a unix socket in the instance folder); with `dummy` OVS connects to it directly.
   */
  readonly controllerPort?: number;
  /** Any controller target OVS understands, e.g. `unix:/path` (reachable from any namespace). */
  readonly controller?: string;
  /** Default `OpenFlow10,OpenFlow13`. */
  readonly protocols?: string;
  /** Default `secure`: no flows of its own when the controller is away. */
  readonly failMode?: 'secure' | 'standalone';
  /** Default `netdev` (userspace datapath; there is no kernel module here). */
  readonly datapathType?: string;
}

export interface OvsInstance {
  readonly dir: string;
  /** unix socket of ovsdb-server. */
  readonly dbSock: string;
  /** ovsdb-server also listens on tcp:127.0.0.1:dbTcpPort. */
  readonly dbTcpPort: number;
  /**
   * The namespace ovs-vswitchd (and its tap devices) live in: the given one, or one the
   * harness made; undefined for dummy instances. ovsdb-server runs in the given namespace,
   * or else in the root namespace so that its TCP port is reachable from tests.
   */
  readonly netns: string | undefined;
  vsctl(...args: string[]): Promise<string>;
  /** ovs-ofctl against this instance's bridges (finds BR.mgmt in dir). */
  ofctl(...args: string[]): Promise<string>;
  /** ovs-appctl to this instance's ovs-vswitchd. */
  appctl(...args: string[]): Promise<string>;
  addBridge(name: string, options?: BridgeOptions): Promise<void>;
  /** Stops ovs-vswitchd only (to test a switch restart); `startVswitchd` brings it back. */
  stopVswitchd(): Promise<void>;
  startVswitchd(): Promise<void>;
  /**
   * Stops both daemons and starts them again on the same folder, database file and TCP port
   * (a server restart under connected clients). `whileStopped` runs in between, e.g. to
   * change the database file offline with `ovsdb-tool transact`.
   */
  restart(options?: { readonly whileStopped?: () => Promise<void> }): Promise<void>;
  /** The database file (`DIR/conf.db`). */
  readonly dbFile: string;
  stop(): Promise<void>;
}

export async function startOvs(options: OvsOptions = {}): Promise<OvsInstance> {
  // Made before the instance folder so that its cleanup (registered first) runs last.
  const ownNetns = options.netns === undefined && !options.dummy ? await createNetns('ovs') : undefined;
  const netns = options.netns ?? ownNetns?.name;
  const dir = instanceDir('ovs');
  const args = (port: number): string[] => [
    dir,
    '--tcp-port',
    String(port),
    ...(options.dummy ? ['--dummy'] : []),
    ...(options.netns ? ['--netns', options.netns] : []),
    ...(ownNetns ? ['--vswitchd-netns', ownNetns.name] : []),
    ...(options.systemId ? ['--system-id', options.systemId] : []),
  ];
  const dbTcpPort = await withFreePort(async (port) => {
    await script('ovs-start', args(port));
    return port;
  });
  const env = { ...process.env, OVS_RUNDIR: dir };
  const relays: ControllerRelay[] = [];
  const stop = registerStop(
    `ovs in ${dir}`,
    async () => {
      await script('ovs-stop', [dir]);
      await Promise.all(relays.map((r) => r.close()));
      rmSync(dir, { recursive: true, force: true });
      await ownNetns?.delete();
    },
    () => killPidFiles(dir),
  );
  const dbSock = join(dir, 'db.sock');
  const vsctl = (...a: string[]) => run('ovs-vsctl', [`--db=unix:${dbSock}`, '--timeout=20', ...a]);
  const instance: OvsInstance = {
    dir,
    dbSock,
    dbTcpPort,
    netns,
    vsctl,
    ofctl: (...a) => run('ovs-ofctl', a, { env }),
    appctl: (...a) => run('ovs-appctl', ['-t', join(dir, 'ovs-vswitchd.ctl'), ...a]),
    async addBridge(name, o = {}) {
      await vsctl(
        'add-br',
        name,
        '--',
        'set',
        'bridge',
        name,
        `datapath_type=${o.datapathType ?? (options.dummy ? 'dummy' : 'netdev')}`,
        `protocols=${o.protocols ?? 'OpenFlow10,OpenFlow13'}`,
        `fail_mode=${o.failMode ?? 'secure'}`,
      );
      let target = o.controller;
      if (o.controllerPort !== undefined && ownNetns !== undefined) {
        const relay = await startControllerRelay(join(dir, `${name}.ctl-relay`), o.controllerPort);
        relays.push(relay);
        target = `unix:${relay.path}`;
      } else if (o.controllerPort !== undefined) target = `tcp:127.0.0.1:${o.controllerPort}`;
      if (target !== undefined) await vsctl('set-controller', name, target);
    },
    async stopVswitchd() {
      await script('stop-pidfiles', [join(dir, 'ovs-vswitchd.pid')]);
    },
    async startVswitchd() {
      await script('ovs-start', [...args(dbTcpPort), '--vswitchd-only']);
    },
    async restart(o = {}) {
      await script('stop-pidfiles', [join(dir, 'ovs-vswitchd.pid'), join(dir, 'ovsdb-server.pid')]);
      await o.whileStopped?.();
      await script('ovs-start', args(dbTcpPort));
    },
    dbFile: join(dir, 'conf.db'),
    stop,
  };
  return instance;
}
