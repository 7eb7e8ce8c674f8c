/**
 * The `l2` module: flows for logical L2 networks — which port is in which network
 * (ingress), what a port may send (portsecurity), where a frame goes (l2output). Inputs:
 * port bindings and viperflow objects (LocalView); output: one FlowSync owner per
 * (datapath, logical network). See docs/pipeline.md.
 */
import { Type } from '@sinclair/typebox';
import { FlowSyncService } from '../flowsync';
import { OpenflowManagerService } from '../openflow-manager';
import { PortBindingService } from '../port-binding';
import { defineApi, defineModule } from '../runtime';
import { ObjectDbService } from '../store/store-module';
import { L2Flows } from './l2-flows';
import { LocalView } from './local-view';

export const l2Module = defineModule({
  name: 'l2',
  description: 'L2 switching inside logical networks: port processing, port security, unicast and flooding.',
  depends: ['flowsync', 'openflowmanager', 'pipeline', 'portbinding', 'store', 'viperflow'],
  config: Type.Object({}, { additionalProperties: false }),
  create(ctx) {
    let flows: L2Flows | undefined;
    let view: LocalView | undefined;
    const log = (msg: string, err?: unknown) => ctx.logger.error({ err }, msg);
    return {
      start() {
        const t = ctx.service(OpenflowManagerService).tables;
        flows = new L2Flows(
          ctx.service(FlowSyncService),
          {
            ingress: t.number('ingress'),
            portsecurity: t.number('portsecurity'),
            arp: t.number('arp'),
            l2output: t.number('l2output'),
          },
          log,
        );
        const f = flows;
        view = new LocalView(
          ctx.service(ObjectDbService),
          ctx.service(PortBindingService),
          (id, placementOnly) => f.markDirty(id, placementOnly),
          log,
        );
        f.view = view;
        view.start();
      },
      stop() {
        view?.stop();
        flows?.stop();
      },
      apis: [
        defineApi({
          name: 'l2status',
          description:
            'The logical networks with local ports or routed to from one: per network its datapaths; and how often networks were recompiled.',
          params: Type.Object({}, { additionalProperties: false }),
          handler: async () => {
            await flows?.idle();
            const v = view;
            return {
              networks: (v?.networkIds() ?? []).map((id) => ({
                id,
                nwid: v?.nwidOf(id),
                // false: only routed to from a local network (unicast flows only).
                local: v?.hasLocalPorts(id) ?? false,
                datapaths: [...(v?.datapathsOf(id) ?? [])].map((d) => d.toString()),
              })),
              ...flows?.statistics,
            };
          },
        }),
      ],
    };
  },
});
