/** A runtime of openflowmanager + flowsync for FlowSync's live tests and bench, and a bounded poll. */
import { type FlowSyncApi, FlowSyncService, flowSyncModule } from '../../../../src/modules/flowsync';
import { openflowManagerModule } from '../../../../src/modules/openflow-manager';
import type { Runtime } from '../../../../src/modules/runtime';
import { startControllerRuntime } from '../../../harness/controller-runtime';
import { untilWithin } from '../../../harness/until';

export interface Controller {
  readonly runtime: Runtime;
  readonly sync: FlowSyncApi;
}

export async function startController(port: number, bundles = true): Promise<Controller> {
  const c = await startControllerRuntime({
    what: 'flowsync test controller',
    modules: [openflowManagerModule, flowSyncModule],
    services: { sync: FlowSyncService },
    openflowPort: port,
    config: { flowsync: { bundles } },
  });
  return { runtime: c.runtime, sync: c.services.sync };
}

/** Polls every 50 ms for up to a minute. */
export const until = untilWithin(60_000);
