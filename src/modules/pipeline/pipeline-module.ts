/**
 * The `pipeline` module: the flows every OpenFlow 1.3 switch needs whatever the network
 * looks like — each table whose miss is `next` passes unmatched packets on to the next
 * table (tables/pipeline.ts), so a module's table can be empty without cutting the pipeline.
 */
import { Type } from '@sinclair/typebox';
import type { Subscription } from '../../async';
import { SwitchUpEvent } from '../../openflow/protocol';
import { type Flow, type Flow13, FlowSyncService, flow13 } from '../flowsync';
import { OpenflowManagerService } from '../openflow-manager';
import { defineModule } from '../runtime';
import { PIPELINE } from '../tables/pipeline';
import type { TablePlan } from '../tables/table-plan';

/** The owner name FlowSync files these flows under. */
export const PIPELINE_OWNER = 'pipeline';

export function missFlows(plan: TablePlan): Flow<Flow13>[] {
  const out: Flow<Flow13>[] = [];
  for (const t of PIPELINE) {
    if (t.miss !== 'next') continue;
    const table = plan.number(t.name);
    out.push(
      flow13({
        table,
        priority: 0,
        match: { fields: [] },
        instructions: [{ type: 'goto_table', tableId: table + 1 }],
      }),
    );
  }
  return out;
}

export const pipelineModule = defineModule({
  name: 'pipeline',
  description: "Table-miss flows that pass packets on through tables whose miss is 'next'.",
  depends: ['flowsync', 'openflowmanager'],
  config: Type.Object({}, { additionalProperties: false }),
  create(ctx) {
    let sub: Subscription | undefined;
    return {
      start() {
        const sync = ctx.service(FlowSyncService);
        const flows = missFlows(ctx.service(OpenflowManagerService).tables);
        const declare = (dpid: Parameters<typeof sync.replace>[1]) =>
          sync.replace(PIPELINE_OWNER, dpid, flows);
        for (const s of ctx.service(OpenflowManagerService).switches()) declare(s.datapathId);
        sub = ctx.scheduler.subscribe(SwitchUpEvent.match(), (e) => {
          if (e.version === 0x04) declare(e.datapathId);
        });
      },
      stop() {
        sub?.unsubscribe();
      },
    };
  },
});
