/**
 * A controller runtime with every module the ARP responder needs (the switch modules, store
 * as given, and arpresponder) and the FlowSync, table plan and switch manager handed to the test.
 */
import { arpResponderModule } from '../../../../src/modules/arp-responder';
import { type FlowSyncApi, FlowSyncService } from '../../../../src/modules/flowsync';
import { type OpenflowManager, OpenflowManagerService } from '../../../../src/modules/openflow-manager';
import type { Runtime } from '../../../../src/modules/runtime';
import type { TablePlan } from '../../../../src/modules/tables/table-plan';
import type { DatapathId } from '../../../../src/openflow/protocol';
import { startControllerRuntime } from '../../../harness/controller-runtime';
import { SWITCH_MODULES } from '../switch-modules';

export { until } from '../../../harness/until';

export interface ArpController {
  readonly runtime: Runtime;
  readonly sync: FlowSyncApi;
  readonly tables: TablePlan;
  readonly openflow: OpenflowManager;
  call(api: string, params?: Readonly<Record<string, unknown>>): Promise<unknown>;
  /** Flow-mods FlowSync has sent to this datapath so far. */
  flowMods(dpid: DatapathId): number;
}

export async function startArpController(options: {
  readonly store: string;
  readonly openflowPort: number;
  readonly ovsdb: string;
  readonly gatewayMac?: string;
}): Promise<ArpController> {
  const c = await startControllerRuntime({
    what: 'arpresponder test controller runtime',
    modules: [...SWITCH_MODULES, arpResponderModule],
    services: { sync: FlowSyncService, openflow: OpenflowManagerService },
    storeUrl: options.store,
    openflowPort: options.openflowPort,
    ovsdb: options.ovsdb,
    ...(options.gatewayMac !== undefined
      ? { config: { arpresponder: { gatewaymac: options.gatewayMac } } }
      : {}),
  });
  const { sync, openflow } = c.services;
  return {
    runtime: c.runtime,
    sync,
    tables: openflow.tables,
    openflow,
    call: (api, params = {}) => c.runtime.call('viperflow', api, params),
    flowMods: (dpid) => sync.status().find((s) => s.datapathId === dpid)?.flowMods ?? 0,
  };
}
