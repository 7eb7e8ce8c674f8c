/**
 * A controller runtime with everything the DHCP server needs (store in a temp dir,
 * openflowmanager, flowsync, pipeline, viperflow, vrouterapi, ovsdbmanager, portbinding,
 * dhcpserver),
 * plus the stand-in ingress flows the `l2` module will own: in_port=P -> metadata=nwid,
 * goto table dhcp (declared through FlowSync under a test owner).
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { dhcpServerModule } from '../../../../src/modules/dhcp-server';
import { type FlowSyncApi, FlowSyncService, flow13, flowSyncModule } from '../../../../src/modules/flowsync';
import { OpenflowManagerService, openflowManagerModule } from '../../../../src/modules/openflow-manager';
import { ovsdbManagerModule } from '../../../../src/modules/ovsdb-manager';
import { pipelineModule } from '../../../../src/modules/pipeline';
import {
  PortBindingService,
  type PortBindings,
  portBindingModule,
} from '../../../../src/modules/port-binding';
import { defineModule, Runtime } from '../../../../src/modules/runtime';
import { storeModule } from '../../../../src/modules/store/store-module';
import type { TablePlan } from '../../../../src/modules/tables/table-plan';
import { viperflowModule } from '../../../../src/modules/viperflow';
import { vrouterApiModule } from '../../../../src/modules/vrouter-api';
import { buildMatch } from '../../../../src/openflow/oxm';
import type { DatapathId } from '../../../../src/openflow/protocol';
import { freePort, registerCleanup } from '../../../harness';

export interface DhcpController {
  readonly runtime: Runtime;
  readonly port: number;
  readonly sync: FlowSyncApi;
  readonly bindings: PortBindings;
  readonly tables: TablePlan;
  call(api: string, params?: Readonly<Record<string, unknown>>): Promise<unknown>;
  /** A `vrouterapi` call (attaching subnets to routers). */
  callRouter(api: string, params?: Readonly<Record<string, unknown>>): Promise<unknown>;
  /** Declares the stand-in ingress flow for one port of a network. */
  ingress(datapathId: DatapathId, portNo: number, nwid: number): void;
  stop(): Promise<void>;
}

export async function startDhcpController(
  ovsdb: string,
  dhcpserver: Readonly<Record<string, unknown>> = {},
): Promise<DhcpController> {
  const dir = await mkdtemp(join(tmpdir(), 'vlcp-ts-dhcp-'));
  let sync: FlowSyncApi | undefined;
  let bindings: PortBindings | undefined;
  let tables: TablePlan | undefined;
  const probe = defineModule({
    name: 'probe',
    description: 'test: takes the services',
    depends: ['flowsync', 'portbinding', 'openflowmanager'],
    config: Type.Object({}, { additionalProperties: false }),
    create: (ctx) => ({
      start() {
        sync = ctx.service(FlowSyncService);
        bindings = ctx.service(PortBindingService);
        tables = ctx.service(OpenflowManagerService).tables;
      },
    }),
  });
  const port = await freePort();
  const runtime = new Runtime({
    modules: [
      storeModule,
      openflowManagerModule,
      flowSyncModule,
      pipelineModule,
      viperflowModule,
      vrouterApiModule,
      ovsdbManagerModule,
      portBindingModule,
      dhcpServerModule,
      probe,
    ],
    config: {
      store: { url: `embedded:${dir}` },
      openflowmanager: { listen: `127.0.0.1:${port}` },
      ovsdbmanager: { ovsdb },
      dhcpserver,
    },
  });
  await runtime.start();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await runtime.stop();
    await rm(dir, { recursive: true, force: true });
  };
  registerCleanup({
    what: 'dhcp test controller',
    run: stop,
    runSync: () => rmSync(dir, { recursive: true, force: true }),
  });
  const ingressFlows = new Map<string, Map<number, number>>();
  return {
    runtime,
    port,
    sync: sync!,
    bindings: bindings!,
    tables: tables!,
    call: (api, params = {}) => runtime.call('viperflow', api, params),
    callRouter: (api, params = {}) => runtime.call('vrouterapi', api, params),
    ingress(datapathId, portNo, nwid) {
      const key = datapathId.toString();
      const ports = ingressFlows.get(key) ?? new Map<number, number>();
      ports.set(portNo, nwid);
      ingressFlows.set(key, ports);
      const t = tables!;
      sync!.replace(
        'test-ingress',
        datapathId,
        [...ports].map(([p, n]) =>
          flow13({
            table: t.number('ingress'),
            priority: 100,
            match: buildMatch({ in_port: p }),
            instructions: [
              { type: 'write_metadata', metadata: BigInt(n), metadataMask: 0xffff_ffff_ffff_ffffn },
              { type: 'goto_table', tableId: t.number('dhcp') },
            ],
          }),
        ),
      );
    },
    stop,
  };
}

export async function until<T>(
  get: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  ms = 60_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
