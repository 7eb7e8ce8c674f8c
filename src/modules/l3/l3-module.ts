/**
 * The `l3` module: distributed routing for virtual routers (tables `l3input`, `l3router`).
 * Every host routes between a router's subnets locally; echo requests to a router address
 * are answered in the switch; an expired TTL (time-exceeded), an unknown host of an attached
 * subnet (host unreachable) and a destination without a route (net unreachable) are answered
 * with ICMP errors from here, rate-limited per datapath.
 * See docs/l3.md.
 */
import { Type } from '@sinclair/typebox';
import type { Subscription } from '../../async';
import type { MacAddress } from '../../openflow/packet';
import { SwitchDownEvent, switchMessage } from '../../openflow/protocol';
import { DEFAULT_GATEWAY_MAC, gatewayMacFromConfig } from '../arp-responder';
import { FlowSyncService } from '../flowsync';
import { OpenflowManagerService } from '../openflow-manager';
import { PortBindingService } from '../port-binding';
import { defineApi, defineModule } from '../runtime';
import { ObjectDbService } from '../store/store-module';
import { createIcmpPacketInHandler, type IcmpPacketInHandler } from './icmp-packet-in';
import { PacketInLimiter } from './packet-in-limiter';
import { VirtualRouters } from './virtual-routers';

/** Per datapath; excess packet-ins for ICMP errors are dropped before any work. */
export const DEFAULT_ICMP_ERROR_RATE = 100;
export const DEFAULT_ICMP_ERROR_BURST = 50;

export const l3Module = defineModule({
  name: 'l3',
  description:
    'Distributed routing for virtual routers: forwarding, ICMP echo, time-exceeded, host and net unreachable.',
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
  config: Type.Object(
    {
      icmperrorrate: Type.Number({
        minimum: 0,
        default: DEFAULT_ICMP_ERROR_RATE,
        description: 'ICMP errors (time-exceeded, host and net unreachable) answered per second per datapath',
      }),
      icmperrorburst: Type.Integer({
        minimum: 0,
        default: DEFAULT_ICMP_ERROR_BURST,
        description: 'packet-ins for ICMP errors answered back to back per datapath before the rate applies',
      }),
    },
    { additionalProperties: false },
  ),
  create(ctx) {
    let routers: VirtualRouters | undefined;
    const subs: Subscription[] = [];
    let icmp: IcmpPacketInHandler | undefined;
    // Checked here, so a bad value fails the start with the key named.
    const limiter = new PacketInLimiter(
      { rate: ctx.config.icmperrorrate, burst: ctx.config.icmperrorburst },
      () => performance.now(),
    );
    // The ARP responder answers for gateways with this MAC: routing must use the same.
    const arpConfig = ctx.modules().find((m) => m.name === 'arpresponder')?.config;
    const gatewayMac: MacAddress = gatewayMacFromConfig(
      typeof arpConfig?.gatewaymac === 'string' ? arpConfig.gatewaymac : DEFAULT_GATEWAY_MAC,
    );

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
        const handler = createIcmpPacketInHandler({
          table: t.l3router,
          routerByNumber: (no) => routers?.routerByNumber(no),
          gatewayMac,
          limiter,
          metrics: ctx.metrics,
          logger: ctx.logger,
        });
        icmp = handler;
        subs.push(
          ctx.scheduler.subscribe(switchMessage('packet_in'), (e) => handler.handle(e)),
          ctx.scheduler.subscribe(SwitchDownEvent.match(), (e) => limiter.forget(e.datapathId)),
        );
      },
      stop() {
        for (const sub of subs.splice(0)) sub.unsubscribe();
        routers?.stop();
      },
      apis: [
        defineApi({
          name: 'stats',
          description:
            'Routers watched; ICMP time-exceeded, host-unreachable and net-unreachable sent, packet-ins rate-limited and ignored since start.',
          params: Type.Object({}, { additionalProperties: false }),
          handler: () => ({
            routers: routers?.watchedRouters ?? 0,
            timeExceeded: icmp?.stats.timeExceeded ?? 0,
            hostUnreachable: icmp?.stats.hostUnreachable ?? 0,
            netUnreachable: icmp?.stats.netUnreachable ?? 0,
            rateLimited: icmp?.stats.rateLimited ?? 0,
            ignored: icmp?.stats.ignored ?? 0,
          }),
        }),
      ],
    };
  },
});
