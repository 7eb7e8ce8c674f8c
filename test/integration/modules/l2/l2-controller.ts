/**
 * A controller runtime with every module the l2 flows need (the switch modules and l2),
 * pointed at one private OVS; and the helpers the l2 tests share.
 */
import { type FlowSyncApi, FlowSyncService } from '../../../../src/modules/flowsync';
import { l2Module } from '../../../../src/modules/l2';
import type { Runtime } from '../../../../src/modules/runtime';
import { ObjectDbService } from '../../../../src/modules/store/store-module';
import type { ObjectDb } from '../../../../src/objectdb';
import type { OvsInstance } from '../../../harness';
import { startControllerRuntime } from '../../../harness/controller-runtime';
import { SWITCH_MODULES } from '../switch-modules';

export { until } from '../../../harness/until';

export interface L2Controller {
  readonly runtime: Runtime;
  readonly sync: FlowSyncApi;
  readonly db: ObjectDb;
  readonly ofPort: number;
  call(api: string, params: Record<string, unknown>): Promise<unknown>;
}

/** `storeUrl`: a shared store (several controllers, one per host); default a private embedded one. */
export async function startL2Controller(
  ovs: OvsInstance,
  options: { readonly storeUrl?: string } = {},
): Promise<L2Controller> {
  const c = await startControllerRuntime({
    what: 'l2 test controller runtime',
    modules: [...SWITCH_MODULES, l2Module],
    services: { sync: FlowSyncService, db: ObjectDbService },
    storeUrl: options.storeUrl,
    ovsdb: `unix:${ovs.dbSock}`,
  });
  return {
    runtime: c.runtime,
    ...c.services,
    ofPort: c.openflowPort,
    call: (api, params) => c.runtime.call('viperflow', api, params),
  };
}

/** Our flows (FlowSync cookies) in the bridge, as `ovs-ofctl dump-flows` prints them, without counters. */
export async function l2FlowLines(ovs: OvsInstance, bridge = 'br0'): Promise<string[]> {
  const out = await ovs.ofctl('-O', 'OpenFlow13', '--no-stats', 'dump-flows', bridge);
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.includes('cookie=0x564c4c32'));
}

/** A VXLAN port whose remote and key the flows set (`remote_ip=flow`, `key=flow`), as l2 writes them. */
export async function addFlowVxlanPort(ovs: OvsInstance, localIp: string, name = 'vxlan0'): Promise<void> {
  await ovs.vsctl(
    'add-port',
    'br0',
    name,
    '--',
    'set',
    'interface',
    name,
    'type=vxlan',
    'options:remote_ip=flow',
    'options:key=flow',
    `options:local_ip=${localIp}`,
  );
}
