/**
 * The l3 packet-in path with a fixed clock: a burst of packet-ins is answered up to the
 * bucket size and the rest are dropped before any work (counted in the Prometheus metric),
 * tokens come back at the configured rate as the clock advances, each datapath has its own
 * bucket, packet-ins of other tables spend no token; the packet_out goes out of the in_port.
 * Nothing here depends on machine speed: the clock only moves when the test moves it.
 */
import pino from 'pino';
import { Registry } from 'prom-client';
import {
  createIcmpPacketInHandler,
  type L3PacketIn,
  PacketInLimitError,
  PacketInLimiter,
  parsePrefix,
  ROUTER_TAG,
  type RouterView,
} from '../../../../src/modules/l3';
import { buildMatch } from '../../../../src/openflow/oxm';
import {
  buildEthernet,
  buildIpv4Packet,
  decodeFrame,
  type Ipv4Address,
  type MacAddress,
} from '../../../../src/openflow/packet';
import { type OutgoingMessage, toDatapathId } from '../../../../src/openflow/protocol';
import { NO_BUFFER, Port } from '../../../../src/openflow/v13/constants';

const GW = '02:56:4c:00:00:01' as MacAddress;
const L3ROUTER = 5;
const ROUTER: RouterView = {
  id: 'r1',
  interfaces: [
    { subnetId: 's1', nwid: 1, cidr: parsePrefix('10.1.0.0/24')!, address: '10.1.0.1' as Ipv4Address },
  ],
  ports: [],
  routes: [],
  unroutable: [],
  logicalPorts: [],
};

function packet(dst: string, ttl: number): Buffer {
  const ip = buildIpv4Packet({
    dscp: 0,
    ecn: 0,
    identification: 1,
    dontFragment: true,
    moreFragments: false,
    fragmentOffset: 0,
    ttl,
    protocol: 17,
    src: '10.1.0.11' as Ipv4Address,
    dst: dst as Ipv4Address,
    payload: Buffer.alloc(12, 7),
  });
  return buildEthernet({ dst: GW, src: '02:00:00:00:01:11' as MacAddress, ethertype: 0x0800, payload: ip });
}

function setup(limits: { rate: number; burst: number }) {
  let clock = 1000;
  const sent: { dpid: bigint; message: OutgoingMessage }[] = [];
  const metrics = new Registry();
  const limiter = new PacketInLimiter(limits, () => clock);
  const handler = createIcmpPacketInHandler({
    table: L3ROUTER,
    routerByNumber: (no) => (no === 3 ? ROUTER : undefined),
    gatewayMac: GW,
    limiter,
    metrics,
    logger: pino({ level: 'silent' }),
  });
  const event = (dpid: bigint, data: Buffer, tableId = L3ROUTER): L3PacketIn => ({
    datapathId: toDatapathId(dpid),
    version: 4,
    message: {
      type: 'packet_in',
      xid: 0,
      bufferId: NO_BUFFER,
      totalLen: data.length,
      reason: 1,
      tableId,
      cookie: 0n,
      match: buildMatch({ in_port: 7, metadata: ROUTER_TAG | 3n }),
      data,
    },
    connection: {
      send: (message: OutgoingMessage) => {
        sent.push({ dpid, message });
        return Promise.resolve(0);
      },
    },
  });
  const burst = (n: number, dpid = 1n, data = packet('203.0.113.1', 64)) => {
    for (let i = 0; i < n; i++) handler.handle(event(dpid, data));
  };
  const limitedMetric = async () =>
    (await metrics.getSingleMetric('vlcp_l3_packet_ins_rate_limited_total')!.get()).values[0]?.value ?? 0;
  return {
    handler,
    limiter,
    sent,
    event,
    burst,
    limitedMetric,
    metrics,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('the l3 packet-in limiter', () => {
  it('a burst of 100 gets exactly `burst` answers; the rest are dropped and counted', async () => {
    const t = setup({ rate: 10, burst: 5 });
    t.burst(100);
    expect(t.sent).toHaveLength(5);
    expect(t.handler.stats).toEqual({
      timeExceeded: 0,
      hostUnreachable: 0,
      netUnreachable: 5,
      rateLimited: 95,
      ignored: 0,
    });
    expect(await t.limitedMetric()).toBe(95);
    const errors = await t.metrics.getSingleMetric('vlcp_l3_icmp_errors_sent_total')!.get();
    expect(errors.values).toEqual([
      expect.objectContaining({ labels: { type: 'net-unreachable' }, value: 5 }),
    ]);
    // Host unreachable spends the same bucket (empty now) and gets its own label value.
    t.advance(200); // two tokens
    t.burst(5, 1n, packet('10.1.0.77', 64));
    expect(t.handler.stats).toMatchObject({ hostUnreachable: 2, rateLimited: 98 });
    const after = await t.metrics.getSingleMetric('vlcp_l3_icmp_errors_sent_total')!.get();
    expect(after.values).toContainEqual(
      expect.objectContaining({ labels: { type: 'host-unreachable' }, value: 2 }),
    );
  });

  it('tokens come back at `rate` per second of the injected clock, never above `burst`', () => {
    const t = setup({ rate: 10, burst: 5 });
    t.burst(5);
    t.burst(3);
    expect(t.sent).toHaveLength(5);
    t.advance(100); // 10/s × 0.1 s = one token
    t.burst(3);
    expect(t.sent).toHaveLength(6);
    t.advance(250); // 2.5 tokens: two answers, half a token kept
    t.burst(3);
    expect(t.sent).toHaveLength(8);
    t.advance(50); // the kept half + half = one more
    t.burst(3);
    expect(t.sent).toHaveLength(9);
    t.advance(3_600_000); // an hour of quiet refills to `burst`, not beyond
    t.burst(20);
    expect(t.sent).toHaveLength(14);
  });

  it('each datapath has its own bucket; a forgotten datapath starts full again', () => {
    const t = setup({ rate: 0, burst: 2 });
    t.burst(4, 1n);
    t.burst(4, 2n);
    expect(t.sent.map((s) => s.dpid)).toEqual([1n, 1n, 2n, 2n]);
    t.advance(60_000);
    t.burst(1, 1n); // rate 0: nothing comes back with time
    expect(t.sent).toHaveLength(4);
    t.limiter.forget(toDatapathId(1n));
    t.burst(3, 1n);
    expect(t.sent).toHaveLength(6);
  });

  it('packet-ins of other tables and other versions spend no token and get no answer', () => {
    const t = setup({ rate: 0, burst: 1 });
    for (let i = 0; i < 10; i++) t.handler.handle(t.event(1n, packet('203.0.113.1', 64), 3));
    t.handler.handle({ ...t.event(1n, packet('203.0.113.1', 64)), version: 1 });
    expect(t.sent).toHaveLength(0);
    t.burst(1);
    expect(t.sent).toHaveLength(1);
  });

  it('the answer is a packet_out from the controller out of the in_port; TTL 1 gets time-exceeded', () => {
    const t = setup({ rate: 0, burst: 10 });
    t.burst(1, 1n, packet('203.0.113.1', 64));
    t.burst(1, 1n, packet('10.1.0.12', 1));
    // An unknown host of the attached subnet: host unreachable (code 1), counted apart.
    t.burst(1, 1n, packet('10.1.0.77', 64));
    expect(t.sent.map((s) => s.message)).toEqual([
      expect.objectContaining({
        type: 'packet_out',
        bufferId: NO_BUFFER,
        inPort: Port.CONTROLLER,
        actions: [{ type: 'output', port: 7, maxLen: 0 }],
      }),
      expect.objectContaining({ type: 'packet_out', actions: [{ type: 'output', port: 7, maxLen: 0 }] }),
      expect.objectContaining({ type: 'packet_out', actions: [{ type: 'output', port: 7, maxLen: 0 }] }),
    ]);
    const kinds = t.sent.map((s) => {
      const m = s.message;
      const icmp = m.type === 'packet_out' ? decodeFrame(m.data).icmp : undefined;
      return `${icmp?.kind}/${icmp?.code}`;
    });
    expect(kinds).toEqual(['destination-unreachable/0', 'time-exceeded/0', 'destination-unreachable/1']);
    expect(t.handler.stats).toMatchObject({ timeExceeded: 1, hostUnreachable: 1, netUnreachable: 1 });
  });

  it('refuses a negative or non-finite rate or burst, naming it', () => {
    expect(() => new PacketInLimiter({ rate: -1, burst: 1 }, () => 0)).toThrow(PacketInLimitError);
    expect(() => new PacketInLimiter({ rate: 1, burst: Number.NaN }, () => 0)).toThrow(/burst NaN/);
  });
});
