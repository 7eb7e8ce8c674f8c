/**
 * What the `l3` module does with a packet-in from its `l3router` table: the per-datapath
 * limiter first (an excess packet-in is dropped before it is decoded), then the router from
 * the packet's metadata tag, then the ICMP error (time-exceeded, host or net unreachable) sent back
 * out of the packet's in_port. Counted in Prometheus metrics and in the module's `stats` API.
 */
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import { decodeFrame, type MacAddress } from '../../openflow/packet';
import { type OpenflowSwitch, packetOutToPort, type SwitchMessageOf } from '../../openflow/protocol';
import type { MetricsRegistry } from '../runtime';
import { ROUTER_TAG } from './compile-router';
import { type IcmpErrorKind, icmpErrorFor } from './icmp-errors';
import type { PacketInLimiter } from './packet-in-limiter';
import type { RouterView } from './router-view';

const OFP13 = 0x04;

/** The parts of a packet-in event the handler reads (a real event is one). */
export type L3PacketIn = Pick<SwitchMessageOf<'packet_in'>, 'datapathId' | 'version' | 'message'> & {
  readonly connection: Pick<OpenflowSwitch, 'send'>;
};

export interface IcmpPacketInOptions {
  /** The `l3router` table number: packet-ins from other tables belong to other modules. */
  readonly table: number;
  readonly routerByNumber: (no: number) => RouterView | undefined;
  readonly gatewayMac: MacAddress;
  readonly limiter: PacketInLimiter;
  readonly metrics: MetricsRegistry;
  readonly logger: Logger;
}

export interface IcmpPacketInStats {
  timeExceeded: number;
  hostUnreachable: number;
  netUnreachable: number;
  rateLimited: number;
  ignored: number;
}

export interface IcmpPacketInHandler {
  handle(e: L3PacketIn): void;
  readonly stats: Readonly<IcmpPacketInStats>;
}

export function createIcmpPacketInHandler(o: IcmpPacketInOptions): IcmpPacketInHandler {
  const stats: IcmpPacketInStats = {
    timeExceeded: 0,
    hostUnreachable: 0,
    netUnreachable: 0,
    rateLimited: 0,
    ignored: 0,
  };
  const rateLimited = new Counter({
    name: 'vlcp_l3_packet_ins_rate_limited_total',
    help: 'L3 packet-ins (ICMP errors to build) dropped by the per-datapath limiter before any work',
    registers: [o.metrics],
  });
  const sent = new Counter({
    name: 'vlcp_l3_icmp_errors_sent_total',
    help: 'ICMP errors the virtual routers sent, by type (time-exceeded, host-unreachable, net-unreachable)',
    labelNames: ['type'] as const,
    registers: [o.metrics],
  });
  const ignored = new Counter({
    name: 'vlcp_l3_packet_ins_ignored_total',
    help: 'L3 packet-ins answered with nothing (no router, RFC 1812 exclusions, the destination is routed)',
    registers: [o.metrics],
  });
  const ignore = (log: object, why: string) => {
    stats.ignored++;
    ignored.inc();
    o.logger.debug({ ...log, why }, 'L3 packet-in: no ICMP error');
  };
  const count: Record<IcmpErrorKind, () => void> = {
    'time-exceeded': () => stats.timeExceeded++,
    'host-unreachable': () => stats.hostUnreachable++,
    'net-unreachable': () => stats.netUnreachable++,
  };

  const handle = (e: L3PacketIn): void => {
    if (e.version !== OFP13) return;
    const m = e.message;
    if (!('tableId' in m) || m.tableId !== o.table) return;
    if (!o.limiter.take(e.datapathId)) {
      stats.rateLimited++;
      rateLimited.inc();
      return;
    }
    let inPort: number | undefined;
    let metadata: bigint | undefined;
    for (const f of m.match.fields) {
      if (f.field === 'in_port') inPort = Number(f.value);
      if (f.field === 'metadata') metadata = f.value;
    }
    const log = { datapathId: e.datapathId.toString(16), inPort };
    const router =
      metadata !== undefined && (metadata & ROUTER_TAG) !== 0n
        ? o.routerByNumber(Number(metadata & 0xffff_ffffn))
        : undefined;
    if (inPort === undefined || router === undefined) {
      ignore(log, 'no in_port or no known router');
      return;
    }
    const answer = icmpErrorFor(decodeFrame(m.data), router, o.gatewayMac);
    if (answer.kind === 'none') {
      ignore({ ...log, router: router.id }, answer.reason);
      return;
    }
    count[answer.error]();
    sent.inc({ type: answer.error });
    e.connection
      .send(packetOutToPort(inPort, answer.frame))
      .catch((err: unknown) => o.logger.debug({ ...log, err }, `${answer.error} not sent`));
  };
  return { handle, stats };
}
