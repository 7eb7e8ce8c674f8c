/**
 * A controller runtime with everything routing needs (store embedded in a temp dir,
 * openflowmanager, flowsync, pipeline, viperflow, vrouterapi, ovsdbmanager, portbinding, l2,
 * arpresponder, l3), pointed at one private OVS; and the helpers the l3 tests share.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { arpResponderModule } from '../../../../src/modules/arp-responder';
import { type FlowSyncApi, FlowSyncService, flowSyncModule } from '../../../../src/modules/flowsync';
import { l2Module } from '../../../../src/modules/l2';
import { l3Module } from '../../../../src/modules/l3';
import {
  type OpenflowManager,
  OpenflowManagerService,
  openflowManagerModule,
} from '../../../../src/modules/openflow-manager';
import { ovsdbManagerModule } from '../../../../src/modules/ovsdb-manager';
import { pipelineModule } from '../../../../src/modules/pipeline';
import { portBindingModule } from '../../../../src/modules/port-binding';
import { defineModule, type ModuleDefinition, Runtime } from '../../../../src/modules/runtime';
import { ObjectDbService, storeModule } from '../../../../src/modules/store/store-module';
import { viperflowModule } from '../../../../src/modules/viperflow';
import { vrouterApiModule } from '../../../../src/modules/vrouter-api';
import type { ObjectDb } from '../../../../src/objectdb';
import { freePort, type OvsInstance, registerCleanup } from '../../../harness';

export interface L3Controller {
  readonly runtime: Runtime;
  readonly ofPort: number;
  readonly openflow: OpenflowManager;
  readonly sync: FlowSyncApi;
  readonly db: ObjectDb;
  /** viperflow and vrouterapi calls (the api name says which). */
  call(api: string, params: Record<string, unknown>): Promise<unknown>;
}

const ROUTER_APIS = /virtualrouter|routerinterface/;

export async function startL3Controller(
  ovs: OvsInstance,
  options: {
    readonly storeUrl?: string;
    readonly gatewayMac?: string;
    /** The l3 module's configuration (e.g. the ICMP error limiter). */
    readonly l3?: Record<string, unknown>;
    /** More modules to run beside the L3 set (e.g. dhcpserver for e2e tests). */
    readonly extraModules?: readonly ModuleDefinition[];
  } = {},
): Promise<L3Controller> {
  const ofPort = await freePort();
  const storeUrl = options.storeUrl ?? `embedded:${join(mkdtempSync(join(tmpdir(), 'l3-store-')), 'data')}`;
  let openflow: OpenflowManager | undefined;
  let sync: FlowSyncApi | undefined;
  let db: ObjectDb | undefined;
  const probe = defineModule({
    name: 'probe',
    description: 'test: takes the switch manager, FlowSync and ObjectDB',
    depends: ['flowsync', 'openflowmanager', 'store'],
    config: Type.Object({}, { additionalProperties: false }),
    create: (ctx) => ({
      start() {
        openflow = ctx.service(OpenflowManagerService);
        sync = ctx.service(FlowSyncService);
        db = ctx.service(ObjectDbService);
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
      vrouterApiModule,
      ovsdbManagerModule,
      portBindingModule,
      l2Module,
      arpResponderModule,
      l3Module,
      ...(options.extraModules ?? []),
      probe,
    ],
    config: {
      store: { url: storeUrl },
      openflowmanager: { listen: `127.0.0.1:${ofPort}` },
      ovsdbmanager: { ovsdb: `unix:${ovs.dbSock}` },
      ...(options.gatewayMac !== undefined ? { arpresponder: { gatewaymac: options.gatewayMac } } : {}),
      ...(options.l3 !== undefined ? { l3: options.l3 } : {}),
    },
  });
  await runtime.start();
  registerCleanup({
    what: 'l3 test controller runtime',
    run: () => runtime.stop(),
    runSync: () => undefined,
  });
  return {
    runtime,
    ofPort,
    openflow: openflow!,
    sync: sync!,
    db: db!,
    call: (api, params) => runtime.call(ROUTER_APIS.test(api) ? 'vrouterapi' : 'viperflow', api, params),
  };
}

export async function until<T>(
  get: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  ms = 15_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The `Datapath actions:` of an `ofproto/trace`, with datapath port numbers named. */
export async function datapathActions(ovs: OvsInstance, bridge: string, flow: string): Promise<string> {
  const out = await ovs.appctl('ofproto/trace', bridge, flow);
  const line = out.split('\n').find((l) => l.startsWith('Datapath actions:'));
  if (line === undefined) throw new Error(`no datapath actions in trace of ${flow}:\n${out}`);
  const names = new Map<string, string>();
  for (const l of (await ovs.appctl('dpif/show')).split('\n')) {
    const r = /^\s+(\S+) (?:\d+|LOCAL)\/(\d+):/.exec(l);
    if (r) names.set(r[2]!, r[1]!);
  }
  return line
    .slice('Datapath actions:'.length)
    .trim()
    .replace(/(^|,)(\d+)(?=,|$)/g, (_m, sep: string, n: string) => `${sep}${names.get(n) ?? `dp${n}`}`);
}
