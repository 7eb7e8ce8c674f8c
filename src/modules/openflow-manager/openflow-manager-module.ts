/**
 * The `openflowmanager` module: listens for switches (OpenFlow 1.0 and 1.3), keeps what is
 * known of each connected one, and numbers the pipeline's named tables once for everyone.
 */
import { Type } from '@sinclair/typebox';
import { Gauge } from 'prom-client';
import { formatDatapathId, OpenflowListener } from '../../openflow/protocol';
import { defineApi, defineModule, provide } from '../runtime';
import { PIPELINE } from '../tables/pipeline';
import { planTables } from '../tables/table-plan';
import { listenEndpoint } from './listen-address';
import { OpenflowManagerService } from './openflow-manager-service';
import { SwitchRegistry } from './switch-registry';

export const openflowManagerModule = defineModule({
  name: 'openflowmanager',
  description: 'Accepts OpenFlow switches, tracks them and their ports, and allocates the named tables.',
  depends: [],
  config: Type.Object(
    {
      listen: Type.Union([Type.Array(Type.String(), { minItems: 1 }), Type.String()], {
        default: ['0.0.0.0:6653'],
        description: 'where switches connect: HOST:PORT, ptcp:PORT[:ADDR], pssl:PORT[:ADDR] or punix:PATH',
      }),
      echointerval: Type.Number({
        default: 5,
        minimum: 0,
        description: 'seconds of silence before an echo request is sent to a switch (0: never)',
      }),
      deadpeertimeout: Type.Number({
        default: 5,
        exclusiveMinimum: 0,
        description: 'seconds after an unanswered echo request before the switch is declared gone',
      }),
    },
    { additionalProperties: false },
  ),
  create(ctx) {
    const tables = planTables(PIPELINE);
    const listeners: OpenflowListener[] = [];
    let registry: SwitchRegistry | undefined;
    new Gauge({
      name: 'vlcp_openflow_switches_connected',
      help: 'OpenFlow switches connected (past the handshake)',
      registers: [ctx.metrics],
      collect() {
        this.set(registry?.list().length ?? 0);
      },
    });
    const service = {
      switch: (dpid: Parameters<SwitchRegistry['get']>[0]) => registry?.get(dpid),
      switches: () => registry?.list() ?? [],
      tables,
    };
    return {
      async start() {
        const given = ctx.config.listen;
        const endpoints = (Array.isArray(given) ? given : [given]).map((t, i) =>
          listenEndpoint(t, `module.openflowmanager.listen${Array.isArray(given) ? `[${i}]` : ''}`),
        );
        registry = new SwitchRegistry(ctx.scheduler, ctx.logger);
        ctx.logger.info({ pipeline: tables.describe() }, 'table plan');
        try {
          for (const ep of endpoints) {
            const l = await OpenflowListener.listen(ep, {
              scheduler: ctx.scheduler,
              logger: ctx.logger,
              echoIntervalMs: Math.round(ctx.config.echointerval * 1000),
              deadPeerTimeoutMs: Math.round(ctx.config.deadpeertimeout * 1000),
            });
            listeners.push(l);
            ctx.logger.info({ endpoint: ep, port: l.port }, 'OpenFlow listening');
          }
        } catch (e) {
          await Promise.all(listeners.map((l) => l.close()));
          registry.close();
          throw e;
        }
      },
      async stop() {
        await Promise.all(listeners.splice(0).map((l) => l.close()));
        registry?.close();
      },
      services: () => [provide(OpenflowManagerService, service)],
      apis: [
        defineApi({
          name: 'listswitches',
          description:
            'Connected switches: datapath id (16 hex digits), OpenFlow version, address, connection time, tables and ports.',
          params: Type.Object({}, { additionalProperties: false }),
          handler: () =>
            service.switches().map((s) => ({
              datapathid: formatDatapathId(s.datapathId),
              version: s.version,
              address: s.remote,
              connectedat: s.connectedAt.toISOString(),
              ntables: s.nTables,
              ports: [...s.ports.values()]
                .sort((a, b) => a.portNo - b.portNo)
                .map((p) => ({
                  portno: p.portNo,
                  name: p.name,
                  mac: p.hwAddr,
                  config: p.config,
                  state: p.state,
                })),
            })),
        }),
        defineApi({
          name: 'listtables',
          description: 'The pipeline: each named table with its number.',
          params: Type.Object({}, { additionalProperties: false }),
          handler: () => [...tables.tables].map(([name, table]) => ({ name, table })),
        }),
      ],
    };
  },
});
