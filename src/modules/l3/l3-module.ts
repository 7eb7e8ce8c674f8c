/**
 * The `l3` module: distributed routing for virtual routers (tables `l3input`, `l3router`).
 * Every host routes between a router's subnets locally; echo requests to a router address
 * are answered in the switch; an expired TTL is answered with ICMP time-exceeded from here.
 * See docs/l3.md.
 */
import { Type } from '@sinclair/typebox';
import type { Subscription } from '../../async';
import { decodeFrame, type MacAddress } from '../../openflow/packet';
import { type SwitchMessageOf, switchMessage } from '../../openflow/protocol';
import { NO_BUFFER, Port } from '../../openflow/v13/constants';
import { DEFAULT_GATEWAY_MAC, gatewayMacFromConfig } from '../arp-responder';
import { FlowSyncService } from '../flowsync';
import { OpenflowManagerService } from '../openflow-manager';
import { PortBindingService } from '../port-binding';
import { defineApi, defineModule } from '../runtime';
import { ObjectDbService } from '../store/store-module';
import { ROUTER_TAG } from './compile-router';
import { timeExceeded } from './time-exceeded';
import { VirtualRouters } from './virtual-routers';

const OFP13 = 0x04;

export const l3Module = defineModule({
  name: 'l3',
  description: 'Distributed routing for virtual routers: forwarding, ICMP echo and time-exceeded.',
  depends: [
    'arpresponder',
    'flowsync',
    'openflowmanager',
    'pipeline',
    'portbinding',
    'store',
    'viperflow',
    'vrouterapi',
  ],
  config: Type.Object({}, { additionalProperties: false }),
  create(ctx) {
    let routers: VirtualRouters | undefined;
    let sub: Subscription | undefined;
    const stats = { timeExceeded: 0, ignored: 0 };
    // The ARP responder answers for gateways with this MAC: routing must use the same.
    const arpConfig = ctx.modules().find((m) => m.name === 'arpresponder')?.config;
    const gatewayMac: MacAddress = gatewayMacFromConfig(
      typeof arpConfig?.gatewaymac === 'string' ? arpConfig.gatewaymac : DEFAULT_GATEWAY_MAC,
    );

    const onPacketIn = (e: SwitchMessageOf<'packet_in'>, table: number): void => {
      if (e.version !== OFP13) return;
      const m = e.message;
      if (!('tableId' in m) || m.tableId !== table) return;
      let inPort: number | undefined;
      let metadata: bigint | undefined;
      for (const f of m.match.fields) {
        if (f.field === 'in_port') inPort = Number(f.value);
        if (f.field === 'metadata') metadata = f.value;
      }
      const log = { datapathId: e.datapathId.toString(16), inPort };
      const router =
        metadata !== undefined && (metadata & ROUTER_TAG) !== 0n
          ? routers?.routerByNumber(Number(metadata & 0xffff_ffffn))
          : undefined;
      if (inPort === undefined || router === undefined) {
        stats.ignored++;
        ctx.logger.debug(log, 'L3 packet-in without in_port or a known router: dropped');
        return;
      }
      const answer = timeExceeded(decodeFrame(m.data), router, gatewayMac);
      if (answer.kind === 'none') {
        stats.ignored++;
        ctx.logger.debug({ ...log, router: router.id, why: answer.reason }, 'L3: no time-exceeded');
        return;
      }
      stats.timeExceeded++;
      e.connection
        .send({
          type: 'packet_out',
          bufferId: NO_BUFFER,
          inPort: Port.CONTROLLER,
          actions: [{ type: 'output', port: inPort, maxLen: 0 }],
          data: answer.frame,
        })
        .catch((err: unknown) => ctx.logger.debug({ ...log, err }, 'time-exceeded not sent'));
    };

    return {
      async start() {
        const tables = ctx.service(OpenflowManagerService).tables;
        const t = {
          l3input: tables.number('l3input'),
          l3router: tables.number('l3router'),
          l2output: tables.number('l2output'),
        };
        routers = new VirtualRouters({
          db: ctx.service(ObjectDbService),
          bindings: ctx.service(PortBindingService),
          sync: ctx.service(FlowSyncService),
          tables: t,
          gatewayMac,
          logger: ctx.logger,
        });
        await routers.start();
        sub = ctx.scheduler.subscribe(switchMessage('packet_in'), (e) => onPacketIn(e, t.l3router));
      },
      stop() {
        sub?.unsubscribe();
        routers?.stop();
      },
      apis: [
        defineApi({
          name: 'stats',
          description: 'Routers watched, ICMP time-exceeded sent and packet-ins ignored since start.',
          params: Type.Object({}, { additionalProperties: false }),
          handler: () => ({ routers: routers?.watchedRouters ?? 0, ...stats }),
        }),
      ],
    };
  },
});
