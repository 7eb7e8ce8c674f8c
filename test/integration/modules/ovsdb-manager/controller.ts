/** Starts ovsdbmanager + portbinding in a Runtime and hands the test their services. */
import { join } from 'node:path';
import type { Event } from '../../../../src/async';
import {
  type OvsdbManager,
  OvsdbManagerService,
  ovsdbManagerModule,
} from '../../../../src/modules/ovsdb-manager';
import {
  PortBindingService,
  type PortBindings,
  portBindingModule,
} from '../../../../src/modules/port-binding';
import type { Runtime } from '../../../../src/modules/runtime';
import type { OvsInstance } from '../../../harness';
import { startControllerRuntime } from '../../../harness/controller-runtime';
import { run, SCRIPTS } from '../../../harness/run';

export { until } from '../../../harness/until';

export interface Controller {
  readonly runtime: Runtime;
  readonly manager: OvsdbManager;
  readonly bindings: PortBindings;
  /** Every event ovsdbmanager and portbinding emitted, in dispatch order. */
  readonly events: Event[];
}

export async function startController(
  ovsdb: string | readonly string[],
  options: { disconnectgrace?: number } = {},
): Promise<Controller> {
  const events: Event[] = [];
  const c = await startControllerRuntime({
    what: 'ovsdbmanager test controller runtime',
    modules: [ovsdbManagerModule, portBindingModule],
    services: { manager: OvsdbManagerService, bindings: PortBindingService },
    config: { ovsdbmanager: { ovsdb: typeof ovsdb === 'string' ? ovsdb : [...ovsdb], ...options } },
    beforeStart: (runtime) => {
      for (const type of ['ovsdbmanager.bridge', 'ovsdbmanager.port', 'portbinding.binding']) {
        runtime.scheduler.subscribe({ type, key: [], test: undefined, description: type }, (e) =>
          events.push(e),
        );
      }
    },
  });
  return { runtime: c.runtime, ...c.services, events };
}

/** `ovs-vsctl get` output without quotes and newline. */
export async function vsctlGet(ovs: OvsInstance, ...args: string[]): Promise<string> {
  return (await ovs.vsctl('get', ...args)).trim().replace(/^"(.*)"$/, '$1');
}

export async function stopOvsdbServer(ovs: OvsInstance): Promise<void> {
  await run(join(SCRIPTS, 'stop-pidfiles'), [join(ovs.dir, 'ovsdb-server.pid')]);
}

/** Starts this instance's ovsdb-server again with the options scripts/ovs-start gives it. */
export async function startOvsdbServer(ovs: OvsInstance): Promise<void> {
  const d = ovs.dir;
  await run('ovsdb-server', [
    join(d, 'conf.db'),
    `--remote=punix:${join(d, 'db.sock')}`,
    `--remote=ptcp:${ovs.dbTcpPort}:127.0.0.1`,
    '--remote=db:Open_vSwitch,Open_vSwitch,manager_options',
    `--pidfile=${join(d, 'ovsdb-server.pid')}`,
    `--unixctl=${join(d, 'ovsdb-server.ctl')}`,
    `--log-file=${join(d, 'ovsdb-server.log')}`,
    '-vconsole:off',
    '--detach',
    '--no-chdir',
  ]);
}

/**
 * Stops this instance's ovsdb-server, optionally changes its database file while it is
 * down (`ovsdb-tool transact`), and starts it again (the harness restarts only
 * ovs-vswitchd). ovs-vswitchd keeps running.
 */
export async function restartOvsdbServer(ovs: OvsInstance, offlineOps?: readonly unknown[]): Promise<void> {
  await stopOvsdbServer(ovs);
  if (offlineOps !== undefined) {
    await run('ovsdb-tool', [
      'transact',
      join(ovs.dir, 'conf.db'),
      JSON.stringify(['Open_vSwitch', ...offlineOps]),
    ]);
  }
  await startOvsdbServer(ovs);
}
