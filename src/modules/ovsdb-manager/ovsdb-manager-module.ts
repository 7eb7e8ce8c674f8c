/**
 * The `ovsdbmanager` module: learns each host's bridges (datapath ids) and OpenFlow ports
 * from OVSDB, over the configured endpoints, and reports them as events and through
 * OvsdbManagerService; `listbridges`, `listports`, `listconnections` for the Web API.
 */
import { Type } from '@sinclair/typebox';
import { formatDatapathId } from '../../openflow/protocol';
import { ApiInputError, defineApi, defineModule, provide } from '../runtime';
import { DatapathIdParam, datapathIdParam } from './datapath-id';
import { DEFAULT_OVSDB_ENDPOINT, parseOvsdbEndpoints } from './endpoints';
import { OvsdbHosts } from './ovsdb-hosts';
import { OvsdbManagerService } from './ovsdb-manager-service';

export const ovsdbManagerModule = defineModule({
  name: 'ovsdbmanager',
  description: "Learns each host's bridges, datapath ids and OpenFlow ports from OVSDB.",
  depends: [],
  config: Type.Object(
    {
      ovsdb: Type.Union([Type.Array(Type.String(), { minItems: 1 }), Type.String()], {
        default: [DEFAULT_OVSDB_ENDPOINT],
        description:
          'OVSDB endpoints: unix:PATH or tcp:HOST:PORT to connect to, ptcp:PORT[:ADDR] or punix:PATH to accept ovsdb-server (after ovs-vsctl set-manager)',
      }),
      disconnectgrace: Type.Number({
        default: 30,
        minimum: 0,
        description: "seconds a lost host's bridges stay up, waiting for it to reconnect",
      }),
    },
    { additionalProperties: false },
  ),
  create(ctx) {
    const specs = typeof ctx.config.ovsdb === 'string' ? [ctx.config.ovsdb] : ctx.config.ovsdb;
    const hosts = new OvsdbHosts(parseOvsdbEndpoints(specs), {
      scheduler: ctx.scheduler,
      logger: ctx.logger,
      graceMs: ctx.config.disconnectgrace * 1000,
    });
    return {
      start: () => hosts.start(),
      stop: () => hosts.stop(),
      services: () => [provide(OvsdbManagerService, hosts)],
      apis: [
        defineApi({
          name: 'listbridges',
          description: 'Bridges whose datapath id is known, on every connected host.',
          params: Type.Object({}, { additionalProperties: false }),
          handler: () =>
            hosts
              .bridges()
              .map((b) => ({ ...b, datapathIdHex: formatDatapathId(b.datapathId) }))
              .sort((a, b) => (a.datapathId < b.datapathId ? -1 : a.datapathId > b.datapathId ? 1 : 0)),
        }),
        defineApi({
          name: 'listports',
          description:
            'OpenFlow ports (interfaces with a port number) of one datapath, or of every datapath: number, name, MAC, type, external_ids, options.',
          params: Type.Object(
            { datapathid: Type.Optional(DatapathIdParam) },
            { additionalProperties: false },
          ),
          handler: (params) => {
            const dpid =
              params.datapathid === undefined ? undefined : datapathIdParam(params.datapathid, 'datapathid');
            if (dpid !== undefined && hosts.bridge(dpid) === undefined) {
              throw new ApiInputError(
                `no bridge with datapath id ${dpid} (0x${formatDatapathId(dpid)}) is known`,
                404,
                'datapathid',
              );
            }
            return hosts
              .ports(dpid)
              .sort((a, b) =>
                a.datapathId !== b.datapathId ? (a.datapathId < b.datapathId ? -1 : 1) : a.portNo - b.portNo,
              );
          },
        }),
        defineApi({
          name: 'listconnections',
          description: 'OVSDB connections and passive listeners, with their state and system-id.',
          params: Type.Object({}, { additionalProperties: false }),
          handler: () => hosts.connections(),
        }),
      ],
    };
  },
});
