/**
 * The `arpresponder` module: ARP requests for the addresses of logical ports and subnet
 * gateways are answered by flows in the switch (table `arp`), never flooded.
 */
import { Type } from '@sinclair/typebox';
import { FlowSyncService } from '../flowsync';
import { OpenflowManagerService } from '../openflow-manager';
import { PortBindingService } from '../port-binding';
import { defineModule } from '../runtime';
import { ObjectDbService } from '../store/store-module';
import { ArpResponder } from './arp-responder';
import { DEFAULT_GATEWAY_MAC, gatewayMacFromConfig } from './gateway-mac';

export const arpResponderModule = defineModule({
  name: 'arpresponder',
  description: 'Answers ARP requests for logical port and gateway addresses with flows in the switch.',
  depends: ['flowsync', 'openflowmanager', 'pipeline', 'portbinding', 'store', 'viperflow'],
  config: Type.Object(
    {
      gatewaymac: Type.String({
        default: DEFAULT_GATEWAY_MAC,
        pattern: '^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5}$',
        description:
          'the MAC every subnet gateway answers ARP with (the virtual routers must route with the same one)',
      }),
    },
    { additionalProperties: false },
  ),
  create(ctx) {
    let responder: ArpResponder | undefined;
    return {
      start() {
        responder = new ArpResponder({
          db: ctx.service(ObjectDbService),
          bindings: ctx.service(PortBindingService),
          sync: ctx.service(FlowSyncService),
          tables: { table: ctx.service(OpenflowManagerService).tables.number('arp') },
          gatewayMac: gatewayMacFromConfig(ctx.config.gatewaymac),
          logger: ctx.logger,
        });
        responder.start();
      },
      stop() {
        responder?.stop();
      },
    };
  },
});
