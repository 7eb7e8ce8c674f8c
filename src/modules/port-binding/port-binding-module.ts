/**
 * The `portbinding` module: which logical port, physical port or tunnel each OpenFlow port
 * of the local switches is, and where each logical port is plugged in. Fed incrementally by
 * `ovsdbmanager`; offers PortBindingService, `listbindings` and `whereis`.
 */
import { Type } from '@sinclair/typebox';
import { DatapathIdParam, datapathIdParam, OvsdbManagerService } from '../ovsdb-manager';
import { defineApi, defineModule, provide } from '../runtime';
import { PortBindingService } from './port-binding-service';
import { PortBindingState } from './port-bindings';

export const portBindingModule = defineModule({
  name: 'portbinding',
  description:
    'Maps OpenFlow ports of the local switches to logical ports (external_ids:iface-id), physical ports and tunnels.',
  depends: ['ovsdbmanager'],
  config: Type.Object({}, { additionalProperties: false }),
  create(ctx) {
    const state = new PortBindingState(ctx.scheduler, (err) =>
      ctx.logger.error({ err }, 'a port binding listener threw'),
    );
    let unsubscribe: (() => void) | undefined;
    return {
      start() {
        const manager = ctx.service(OvsdbManagerService);
        // Current ports first, then every change: same tick, so none is missed or doubled.
        state.apply(
          manager.ports().map((port) => ({
            type: 'ovsdbmanager.port' as const,
            change: 'added' as const,
            datapathId: port.datapathId,
            portNo: port.portNo,
            name: port.name,
            port,
            old: undefined,
          })),
        );
        unsubscribe = manager.subscribe((changes) => state.apply(changes));
      },
      stop() {
        unsubscribe?.();
        state.close('portbinding stopped');
      },
      services: () => [provide(PortBindingService, state)],
      apis: [
        defineApi({
          name: 'listbindings',
          description:
            'Port bindings (datapath, port number, interface name, logical port, physical port name, tunnel), optionally of one datapath and/or one logical port.',
          params: Type.Object(
            {
              datapathid: Type.Optional(DatapathIdParam),
              logicalport: Type.Optional(
                Type.String({ minLength: 1, description: 'logical port id (iface-id)' }),
              ),
            },
            { additionalProperties: false },
          ),
          handler: (params) => {
            const datapathId =
              params.datapathid === undefined ? undefined : datapathIdParam(params.datapathid, 'datapathid');
            return [
              ...state.list({
                ...(datapathId !== undefined ? { datapathId } : {}),
                ...(params.logicalport !== undefined ? { logicalPortId: params.logicalport } : {}),
              }),
            ].sort((a, b) =>
              a.datapathId !== b.datapathId ? (a.datapathId < b.datapathId ? -1 : 1) : a.portNo - b.portNo,
            );
          },
        }),
        defineApi({
          name: 'whereis',
          description:
            'Where a logical port is plugged in: system id, bridge, datapath id and OpenFlow port number (empty when nowhere).',
          params: Type.Object(
            { logicalport: Type.String({ minLength: 1, description: 'logical port id (iface-id)' }) },
            { additionalProperties: false },
          ),
          handler: (params) =>
            state.whereIs(params.logicalport).map((b) => ({
              systemId: b.systemId,
              bridge: b.bridge,
              datapathId: b.datapathId,
              portNo: b.portNo,
              name: b.name,
            })),
        }),
      ],
    };
  },
});
