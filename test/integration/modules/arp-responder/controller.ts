/**
 * A controller runtime with every module the ARP responder needs (store embedded in a temp
 * dir, openflowmanager, flowsync, pipeline, ovsdbmanager, portbinding, viperflow,
 * arpresponder) and a probe handing the test FlowSync and the table plan.
 */
import { Type } from '@sinclair/typebox';
import { arpResponderModule } from '../../../../src/modules/arp-responder';
import { type FlowSyncApi, FlowSyncService, flowSyncModule } from '../../../../src/modules/flowsync';
import {
  type OpenflowManager,
  OpenflowManagerService,
  openflowManagerModule,
} from '../../../../src/modules/openflow-manager';
import { ovsdbManagerModule } from '../../../../src/modules/ovsdb-manager';
import { pipelineModule } from '../../../../src/modules/pipeline';
import { portBindingModule } from '../../../../src/modules/port-binding';
import { defineModule, Runtime } from '../../../../src/modules/runtime';
import { storeModule } from '../../../../src/modules/store/store-module';
import type { TablePlan } from '../../../../src/modules/tables/table-plan';
import { viperflowModule } from '../../../../src/modules/viperflow';
import type { DatapathId } from '../../../../src/openflow/protocol';

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
  let sync: FlowSyncApi | undefined;
  let openflow: OpenflowManager | undefined;
  const probe = defineModule({
    name: 'probe',
    description: 'test: takes FlowSync and the table plan',
    depends: ['flowsync', 'openflowmanager'],
    config: Type.Object({}, { additionalProperties: false }),
    create: (ctx) => ({
      start() {
        sync = ctx.service(FlowSyncService);
        openflow = ctx.service(OpenflowManagerService);
      },
    }),
  });
  const runtime = new Runtime({
    modules: [
      storeModule,
      openflowManagerModule,
      flowSyncModule,
      pipelineModule,
      viperflowModule,
      ovsdbManagerModule,
      portBindingModule,
      arpResponderModule,
      probe,
    ],
    config: {
      store: { url: options.store },
      openflowmanager: { listen: `127.0.0.1:${options.openflowPort}` },
      ovsdbmanager: { ovsdb: options.ovsdb },
      ...(options.gatewayMac !== undefined ? { arpresponder: { gatewaymac: options.gatewayMac } } : {}),
    },
  });
  await runtime.start();
  return {
    runtime,
    sync: sync!,
    tables: openflow!.tables,
    openflow: openflow!,
    call: (api, params = {}) => runtime.call('viperflow', api, params),
    flowMods: (dpid) => sync!.status().find((s) => s.datapathId === dpid)?.flowMods ?? 0,
  };
}

export async function until<T>(
  get: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  ms = 30_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
