/** A runtime of openflowmanager + flowsync for FlowSync's live tests, and a bounded poll. */
import { Type } from '@sinclair/typebox';
import { type FlowSyncApi, FlowSyncService, flowSyncModule } from '../../../../src/modules/flowsync';
import { openflowManagerModule } from '../../../../src/modules/openflow-manager';
import { defineModule, Runtime } from '../../../../src/modules/runtime';

export interface Controller {
  readonly runtime: Runtime;
  readonly sync: FlowSyncApi;
}

export async function startController(port: number, bundles = true): Promise<Controller> {
  let sync: FlowSyncApi | undefined;
  const probe = defineModule({
    name: 'probe',
    description: 'test: takes the FlowSync service',
    depends: ['flowsync'],
    config: Type.Object({}, { additionalProperties: false }),
    create: (ctx) => ({
      start() {
        sync = ctx.service(FlowSyncService);
      },
    }),
  });
  const runtime = new Runtime({
    modules: [openflowManagerModule, flowSyncModule, probe],
    config: { openflowmanager: { listen: `127.0.0.1:${port}` }, flowsync: { bundles } },
  });
  await runtime.start();
  return { runtime, sync: sync! };
}

export async function until<T>(get: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 1200; i++) {
    const v = await get();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
