/**
 * The `flowsync` module: keeps each OpenFlow 1.3 switch's flows equal to what the flow
 * compilers declared for it. Declarations outlive connections: a switch that (re)connects
 * is read back and sent only the difference, so a controller restart with unchanged state
 * sends no flow-mod, and a switch that lost its flows gets them all back.
 */
import { Type } from '@sinclair/typebox';
import { Counter } from 'prom-client';
import type { Subscription } from '../../async';
import { type DatapathId, formatDatapathId, SwitchDownEvent, SwitchUpEvent } from '../../openflow/protocol';
import { defineApi, defineModule, provide } from '../runtime';
import { DatapathSync } from './datapath-sync';
import { DesiredFlows } from './desired-flows';
import type { Flow } from './flow';
import type { DatapathSyncStatus, FlowSyncApi } from './flowsync-service';
import { FlowSyncService } from './flowsync-service';
import type { Group } from './group';
import { Of13FlowChannel } from './of13-channel';
import type { Flow13 } from './of13-flow';
import type { Group13 } from './of13-group';

export const flowSyncModule = defineModule({
  name: 'flowsync',
  description:
    'Sends each switch the difference between the declared and the installed flows and groups (bundles, barriers).',
  depends: ['openflowmanager'],
  config: Type.Object(
    {
      bundles: Type.Boolean({
        default: true,
        description:
          'send each batch as one atomic ONF bundle (falls back to flow-mods + barrier if refused)',
      }),
      removalhold: Type.Number({
        default: 10,
        minimum: 0,
        description:
          'seconds after start during which flows a switch holds but no module has declared yet are kept, not deleted (the compilers are still catching up; deleting and re-adding would drop packets)',
      }),
    },
    { additionalProperties: false },
  ),
  create(ctx) {
    const holdRemovalsUntil = Date.now() + ctx.config.removalhold * 1000;
    const syncs = new Map<DatapathId, DatapathSync<Flow13, Group13>>();
    const counter = (name: string, help: string) =>
      new Counter({ name: `vlcp_flowsync_${name}`, help, registers: [ctx.metrics] });
    const metrics = {
      flowMods: counter('flow_mods_total', 'Flow-mods FlowSync sent (adds, modifies, deletes)'),
      groupMods: counter('group_mods_total', 'Group-mods FlowSync sent (adds, modifies, deletes)'),
      batches: counter(
        'batches_total',
        'Batches FlowSync applied (each closed by a bundle commit or barrier)',
      ),
      resyncs: counter('resyncs_total', "Full reads of a switch's flows and groups (connects, recoveries)"),
      failures: counter('failures_total', 'Batches or reads that failed (each is followed by a resync)'),
    };
    const connections = new Map<DatapathId, string>();
    const subscriptions: Subscription[] = [];

    const syncFor = (dpid: DatapathId): DatapathSync<Flow13, Group13> => {
      let s = syncs.get(dpid);
      if (s === undefined) {
        const name = formatDatapathId(dpid);
        s = new DatapathSync<Flow13, Group13>(new DesiredFlows<Flow13>(), {
          holdRemovalsUntil,
          onEvent: (e) => {
            switch (e.kind) {
              case 'error':
                metrics.failures.inc();
                ctx.logger.warn({ datapathId: name, err: e.error.message }, 'flow sync failed; resyncing');
                break;
              case 'resync':
                metrics.resyncs.inc();
                break;
              case 'batch':
                metrics.batches.inc();
                metrics.flowMods.inc(e.flowMods);
                metrics.groupMods.inc(e.groupMods);
                break;
              case 'synced':
                ctx.logger.debug({ datapathId: name }, 'flows in sync');
            }
          },
        });
        syncs.set(dpid, s);
      }
      return s;
    };

    const api: FlowSyncApi = {
      replace(owner, dpid, flows: Iterable<Flow<Flow13>>) {
        const s = syncFor(dpid);
        s.changed(s.desired.replace(owner, flows));
      },
      update(owner, dpid, upsert, withdraw = []) {
        const s = syncFor(dpid);
        s.changed(s.desired.update(owner, upsert, withdraw));
      },
      replaceGroups(owner, dpid, groups: Iterable<Group<Group13>>) {
        const s = syncFor(dpid);
        s.changedGroups(s.desiredGroups.replace(owner, groups));
      },
      idle: (dpid) => syncs.get(dpid)?.idle() ?? Promise.resolve(),
      status: (): DatapathSyncStatus[] =>
        [...syncs].map(([datapathId, s]) => ({
          datapathId,
          connected: s.connected,
          desired: s.desired.size,
          desiredGroups: s.desiredGroups.size,
          ...s.statistics,
        })),
    };

    return {
      start() {
        subscriptions.push(
          ctx.scheduler.subscribe(SwitchUpEvent.match(), (e) => {
            if (e.version !== 0x04) {
              ctx.logger.warn(
                { datapathId: formatDatapathId(e.datapathId) },
                'switch speaks OpenFlow 1.0: flows are managed on OpenFlow 1.3 only',
              );
              return;
            }
            connections.set(e.datapathId, e.connectionId);
            syncFor(e.datapathId).attach(new Of13FlowChannel(e.connection, { bundles: ctx.config.bundles }));
          }),
          ctx.scheduler.subscribe(SwitchDownEvent.match(), (e) => {
            if (connections.get(e.datapathId) !== e.connectionId) return;
            connections.delete(e.datapathId);
            syncs.get(e.datapathId)?.detach();
          }),
        );
      },
      stop() {
        for (const s of subscriptions.splice(0)) s.unsubscribe();
        for (const s of syncs.values()) s.detach();
      },
      services: () => [provide(FlowSyncService, api)],
      apis: [
        defineApi({
          name: 'status',
          description:
            'Per datapath: connected, declared flows and groups, batches, flow-mods and group-mods sent, full reads, failures.',
          params: Type.Object({}, { additionalProperties: false }),
          handler: () =>
            api.status().map((s) => ({
              datapathid: formatDatapathId(s.datapathId),
              connected: s.connected,
              desired: s.desired,
              desiredgroups: s.desiredGroups,
              batches: s.batches,
              flowmods: s.flowMods,
              groupmods: s.groupMods,
              resyncs: s.resyncs,
              failures: s.failures,
            })),
        }),
      ],
    };
  },
});
