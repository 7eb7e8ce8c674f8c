/**
 * The `dhcpserver` module: answers DHCP for logical ports from the controller. Each bound
 * logical port with an address gets one flow in table `dhcp` sending its DHCP client
 * messages here; the answer (OFFER/ACK/NAK from the port's lease) goes back out of the same
 * port as a packet-out. See docs/dhcp-server.md.
 */
import { Type } from '@sinclair/typebox';
import type { Subscription } from '../../async';
import {
  decodeFrame,
  type Ipv4Address,
  type MacAddress,
  parseIpv4Address,
  parseMacAddress,
} from '../../openflow/packet';
import { packetOutToPort, type SwitchMessageOf, switchMessage } from '../../openflow/protocol';
import { FlowSyncService } from '../flowsync';
import { OpenflowManagerService } from '../openflow-manager';
import { PortBindingService } from '../port-binding';
import { defineApi, defineModule } from '../runtime';
import { ObjectDbService } from '../store/store-module';
import { answerDhcp } from './answer';
import { INFINITE_LEASE } from './lease';
import { PortLeases } from './port-leases';

const OFP13 = 0x04;

/** VLCP's defaults, so a client sees the same server as under VLCP. */
export const DEFAULT_SERVER_ADDRESS = '169.254.169.254';
export const DEFAULT_SERVER_MAC = '1a:23:67:59:63:33';
export const DEFAULT_LEASE_TIME = 86400;

export const dhcpServerModule = defineModule({
  name: 'dhcpserver',
  description: 'Answers DHCP for logical ports with their configured address, gateway, DNS, MTU and routes.',
  depends: ['flowsync', 'openflowmanager', 'pipeline', 'portbinding', 'store', 'viperflow'],
  config: Type.Object(
    {
      leasetime: Type.Union([Type.Integer({ minimum: 1, maximum: 0xfffffffe }), Type.Literal('infinite')], {
        default: DEFAULT_LEASE_TIME,
        description:
          'lease time in seconds (or "infinite") when neither the subnet nor the logical network sets lease_time',
      }),
      serveraddress: Type.String({
        default: DEFAULT_SERVER_ADDRESS,
        pattern: '^\\d{1,3}(\\.\\d{1,3}){3}$',
        description: 'DHCP server identifier (and reply source address) for subnets without a gateway',
      }),
      servermac: Type.String({
        default: DEFAULT_SERVER_MAC,
        pattern: '^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$',
        description: 'Ethernet source address of DHCP replies',
      }),
    },
    { additionalProperties: false },
  ),
  create(ctx) {
    let leases: PortLeases | undefined;
    let sub: Subscription | undefined;
    const stats = { replies: 0, ignored: 0, malformed: 0 };
    // Checked here so a bad value fails the start with the key named, not a later packet.
    const serverAddress: Ipv4Address = parseIpv4Address(ctx.config.serveraddress);
    const serverMac: MacAddress = parseMacAddress(ctx.config.servermac);
    const leaseTime = ctx.config.leasetime === 'infinite' ? INFINITE_LEASE : ctx.config.leasetime;

    const onPacketIn = (e: SwitchMessageOf<'packet_in'>, table: number): void => {
      if (e.version !== OFP13) return;
      const m = e.message;
      if (!('tableId' in m) || m.tableId !== table) return;
      const inPortField = m.match.fields.find((f) => f.field === 'in_port');
      const inPort = inPortField?.field === 'in_port' ? Number(inPortField.value) : undefined;
      const log = { datapathId: e.datapathId.toString(16), inPort };
      if (inPort === undefined) {
        stats.malformed++;
        ctx.logger.debug(log, 'DHCP packet-in without in_port: dropped');
        return;
      }
      const decoded = decodeFrame(m.data);
      if (decoded.error !== undefined || decoded.dhcp === undefined) {
        stats.malformed++;
        ctx.logger.debug(
          { ...log, why: decoded.error?.message ?? 'not DHCP' },
          'malformed DHCP packet: dropped',
        );
        return;
      }
      const found = leases!.lookup(e.datapathId, inPort);
      if (found.kind !== 'known' || !found.result.ok) {
        stats.ignored++;
        ctx.logger.debug(
          { ...log, why: found.kind === 'known' && !found.result.ok ? found.result.reason : found.kind },
          'DHCP request from a port without a lease: no answer',
        );
        return;
      }
      let answer: ReturnType<typeof answerDhcp>;
      try {
        answer = answerDhcp(decoded, found.result.lease, { mac: serverMac });
      } catch (err) {
        // A lease the packet codec refuses: log, never crash (leases are checked, so a bug).
        stats.ignored++;
        ctx.logger.error({ ...log, err, logicalPort: found.logicalPortId }, 'cannot build a DHCP reply');
        return;
      }
      if (answer.kind === 'none') {
        stats.ignored++;
        ctx.logger.debug({ ...log, logicalPort: found.logicalPortId, why: answer.reason }, 'DHCP: no answer');
        return;
      }
      stats.replies++;
      ctx.logger.debug(
        { ...log, logicalPort: found.logicalPortId, messageType: answer.messageType, xid: answer.reply.xid },
        'DHCP reply',
      );
      e.connection
        .send(packetOutToPort(inPort, answer.frame))
        .catch((err: unknown) => ctx.logger.debug({ ...log, err }, 'DHCP reply not sent'));
    };

    return {
      start() {
        const table = ctx.service(OpenflowManagerService).tables.number('dhcp');
        leases = new PortLeases({
          db: ctx.service(ObjectDbService),
          bindings: ctx.service(PortBindingService),
          sync: ctx.service(FlowSyncService),
          table,
          defaults: { leaseTime, serverAddress },
          logger: ctx.logger,
        });
        leases.start();
        sub = ctx.scheduler.subscribe(switchMessage('packet_in'), (e) => onPacketIn(e, table));
      },
      stop() {
        sub?.unsubscribe();
        leases?.stop();
      },
      apis: [
        defineApi({
          name: 'stats',
          description: 'Ports served and DHCP messages answered, ignored and malformed since start.',
          params: Type.Object({}, { additionalProperties: false }),
          handler: () => ({ ports: leases?.served() ?? 0, ...stats }),
        }),
      ],
    };
  },
});
