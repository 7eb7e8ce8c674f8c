/**
 * A controller runtime with every module the l2 flows need (store embedded in a temp dir,
 * openflowmanager, flowsync, pipeline, viperflow, ovsdbmanager, portbinding, l2), pointed
 * at one private OVS; and the helpers the l2 tests share.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { type FlowSyncApi, FlowSyncService, flowSyncModule } from '../../../../src/modules/flowsync';
import { l2Module } from '../../../../src/modules/l2';
import { openflowManagerModule } from '../../../../src/modules/openflow-manager';
import { ovsdbManagerModule } from '../../../../src/modules/ovsdb-manager';
import { pipelineModule } from '../../../../src/modules/pipeline';
import { portBindingModule } from '../../../../src/modules/port-binding';
import { defineModule, Runtime } from '../../../../src/modules/runtime';
import { ObjectDbService, storeModule } from '../../../../src/modules/store/store-module';
import { viperflowModule } from '../../../../src/modules/viperflow';
import type { ObjectDb } from '../../../../src/objectdb';
import { freePort, type OvsInstance, registerCleanup } from '../../../harness';

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
  const ofPort = await freePort();
  const storeUrl = options.storeUrl ?? `embedded:${join(mkdtempSync(join(tmpdir(), 'l2-store-')), 'data')}`;
  let sync: FlowSyncApi | undefined;
  let db: ObjectDb | undefined;
  const probe = defineModule({
    name: 'probe',
    description: 'test: takes the FlowSync and ObjectDB services',
    depends: ['flowsync', 'store'],
    config: Type.Object({}, { additionalProperties: false }),
    create: (ctx) => ({
      start() {
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
      ovsdbManagerModule,
      portBindingModule,
      l2Module,
      probe,
    ],
    config: {
      store: { url: storeUrl },
      openflowmanager: { listen: `127.0.0.1:${ofPort}` },
      ovsdbmanager: { ovsdb: `unix:${ovs.dbSock}` },
    },
  });
  await runtime.start();
  registerCleanup({
    what: 'l2 test controller runtime',
    run: () => runtime.stop(),
    // At exit nothing asynchronous runs: the switch connections die with the process.
    runSync: () => undefined,
  });
  return {
    runtime,
    sync: sync!,
    db: db!,
    ofPort,
    call: (api, params) => runtime.call('viperflow', api, params),
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
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Our flows (FlowSync cookies) in the bridge, as `ovs-ofctl dump-flows` prints them, without counters. */
export async function l2FlowLines(ovs: OvsInstance, bridge = 'br0'): Promise<string[]> {
  const out = await ovs.ofctl('-O', 'OpenFlow13', '--no-stats', 'dump-flows', bridge);
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.includes('cookie=0x564c4c32'));
}
