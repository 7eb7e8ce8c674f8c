/**
 * A controller runtime with everything the DHCP server needs (the switch modules,
 * vrouterapi and dhcpserver), plus the stand-in ingress flows the `l2` module will own: in_port=P ->
 * metadata=nwid, goto table dhcp (declared through FlowSync under a test owner).
 */
import { dhcpServerModule } from '../../../../src/modules/dhcp-server';
import { type FlowSyncApi, FlowSyncService, flow13 } from '../../../../src/modules/flowsync';
import { OpenflowManagerService } from '../../../../src/modules/openflow-manager';
import { PortBindingService, type PortBindings } from '../../../../src/modules/port-binding';
import type { Runtime } from '../../../../src/modules/runtime';
import type { TablePlan } from '../../../../src/modules/tables/table-plan';
import { vrouterApiModule } from '../../../../src/modules/vrouter-api';
import { buildMatch } from '../../../../src/openflow/oxm';
import type { DatapathId } from '../../../../src/openflow/protocol';
import { startControllerRuntime } from '../../../harness/controller-runtime';
import { untilWithin } from '../../../harness/until';
import { SWITCH_MODULES } from '../switch-modules';

export interface DhcpController {
  readonly runtime: Runtime;
  readonly port: number;
  readonly sync: FlowSyncApi;
  readonly bindings: PortBindings;
  readonly tables: TablePlan;
  call(api: string, params?: Readonly<Record<string, unknown>>): Promise<unknown>;
  /** vrouterapi calls (routers whose interfaces attach the tests' subnets). */
  callRouter(api: string, params?: Readonly<Record<string, unknown>>): Promise<unknown>;
  /** Declares the stand-in ingress flow for one port of a network. */
  ingress(datapathId: DatapathId, portNo: number, nwid: number): void;
  stop(): Promise<void>;
}

export async function startDhcpController(
  ovsdb: string,
  dhcpserver: Readonly<Record<string, unknown>> = {},
): Promise<DhcpController> {
  const c = await startControllerRuntime({
    what: 'dhcp test controller',
    modules: [...SWITCH_MODULES, vrouterApiModule, dhcpServerModule],
    services: { sync: FlowSyncService, bindings: PortBindingService, openflow: OpenflowManagerService },
    ovsdb,
    config: { dhcpserver },
  });
  const { sync, bindings } = c.services;
  const tables = c.services.openflow.tables;
  const ingressFlows = new Map<string, Map<number, number>>();
  return {
    runtime: c.runtime,
    port: c.openflowPort,
    sync,
    bindings,
    tables,
    call: (api, params = {}) => c.runtime.call('viperflow', api, params),
    callRouter: (api, params = {}) => c.runtime.call('vrouterapi', api, params),
    ingress(datapathId, portNo, nwid) {
      const key = datapathId.toString();
      const ports = ingressFlows.get(key) ?? new Map<number, number>();
      ports.set(portNo, nwid);
      ingressFlows.set(key, ports);
      sync.replace(
        'test-ingress',
        datapathId,
        [...ports].map(([p, n]) =>
          flow13({
            table: tables.number('ingress'),
            priority: 100,
            match: buildMatch({ in_port: p }),
            instructions: [
              { type: 'write_metadata', metadata: BigInt(n), metadataMask: 0xffff_ffff_ffff_ffffn },
              { type: 'goto_table', tableId: tables.number('dhcp') },
            ],
          }),
        ),
      );
    },
    stop: c.stop,
  };
}

/** Polls with a longer default bound: DHCP exchanges wait on dhclient's timers. */
export const until = untilWithin(60_000);
