/**
 * ICMP net unreachable against a private dummy OVS (real l2, arpresponder, vrouterapi, l3):
 * `ofproto/trace` shows the controller action for a destination no subnet or route covers,
 * from the lowest-priority l3router flow; a real frame through `netdev-dummy/receive` comes
 * back on the port's `tx_pcap` as the packet_out the controller built (type 3 code 0 from
 * the gateway, checksums valid, the original header + 8 bytes quoted); an ICMP error gets
 * nothing; and with the limiter configured to 4 tokens and no refill, a burst of packet-ins
 * is answered exactly as far as the tokens go — counted, not timed.
 */
import type { Counter } from 'prom-client';
import {
  buildIcmp,
  decodeFrame,
  verifyIcmpChecksum,
  verifyIpv4Checksum,
} from '../../../../src/openflow/packet';
import { addDummyPort, cleanupAll, type OvsInstance, startOvs, txPcapPath } from '../../../harness';
import { readPcap } from '../dhcp-server/pcap';
import { A, frameFromA, GW, type L3Stats, udpFromA, udpTraceFromA, unreachableCode } from './icmp-probe';
import { datapathActions, type L3Controller, startL3Controller, until } from './l3-controller';

afterAll(cleanupAll);

const BURST = 4;
const isUnreachable = (f: Buffer) => unreachableCode(f) !== undefined;

describe('ICMP net unreachable from a virtual router (dummy OVS)', () => {
  let ovs: OvsInstance;
  let c: L3Controller;
  const pcap = () => txPcapPath(ovs, A.port);
  const stats = async () => (await c.runtime.call('l3', 'stats', {})) as L3Stats;
  const handled = async () => {
    const s = await stats();
    return s.netUnreachable + s.rateLimited + s.ignored;
  };
  const receive = (f: Buffer) => ovs.appctl('netdev-dummy/receive', 'pa', f.toString('hex'));

  beforeAll(async () => {
    ovs = await startOvs({ dummy: true, systemId: 'l3-unreach' });
    c = await startL3Controller(ovs, { l3: { icmperrorrate: 0, icmperrorburst: BURST } });
    await ovs.addBridge('br0', { controllerPort: c.ofPort, protocols: 'OpenFlow13' });
    await c.call('createphysicalnetwork', { id: 'pv', type: 'vlan', vlanrange: [[100, 200]] });
    await c.call('createlogicalnetwork', { id: 'na', physicalnetwork: 'pv', vlanid: 100 });
    await c.call('createsubnet', {
      id: 'sa',
      logicalnetwork: 'na',
      cidr: '10.1.0.0/24',
      gateway: '10.1.0.1',
    });
    await c.call('createlogicalports', {
      ports: [{ id: 'lpa', logicalnetwork: 'na', subnet: 'sa', mac_address: A.mac, ip_address: '10.1.0.11' }],
    });
    await addDummyPort(ovs, A.port, { ifaceId: 'lpa', txPcap: true });
    await c.call('createvirtualrouter', { id: 'r1' });
    await c.call('addrouterinterface', { router: 'r1', subnet: 'sa' });
    await c.call('updatevirtualrouter', { id: 'r1', routes: [['192.168.0.0/16', '10.1.0.5']] });
  });

  it('trace: no subnet and no route → the controller, from the lowest l3router flow', async () => {
    const flow = udpTraceFromA;
    let last = '';
    await until(async () => {
      last = await datapathActions(ovs, 'br0', flow('203.0.113.1'));
      return /userspace|controller/.test(last) || undefined;
    }, 'the no-route flow').catch(() => undefined);
    expect(last).toMatch(/userspace\(.*controller/);
    // A static route (even one whose next hop is not there yet) is not "unreachable".
    expect(await datapathActions(ovs, 'br0', flow('192.168.1.1'))).toBe('drop');
    const table = c.openflow.tables.number('l3router');
    const flows = (await ovs.ofctl('-O', 'OpenFlow13', '--no-stats', 'dump-flows', 'br0', `table=${table}`))
      .split('\n')
      .filter((l) => l.includes('cookie=0x564c4c33'));
    const priorities = flows.map((l) => Number(/priority=(\d+)/.exec(l)?.[1]));
    expect(Math.min(...priorities)).toBe(1);
    expect(flows.find((l) => l.includes('priority=1,'))).toMatch(
      /priority=1,ip,metadata=.* actions=CONTROLLER:65535/,
    );
  });

  it('a packet to an unrouted address gets type 3 code 0 from the gateway, out of its in_port', async () => {
    const before = (await readPcap(pcap())).length;
    const original = udpFromA('203.0.113.1');
    await receive(original);
    const reply = await until(
      async () => (await readPcap(pcap())).slice(before).find(isUnreachable),
      'net unreachable on pa',
    );
    const d = decodeFrame(reply);
    expect(d.ethernet).toMatchObject({ src: GW, dst: A.mac });
    expect(d.ipv4).toMatchObject({ src: '10.1.0.1', dst: '10.1.0.11', protocol: 1, ttl: 64 });
    expect(d.icmp).toMatchObject({ kind: 'destination-unreachable', code: 0, nextHopMtu: 0 });
    expect(verifyIpv4Checksum(d.ethernet!.payload)).toBe(true);
    expect(verifyIcmpChecksum(d.ipv4!.payload)).toBe(true);
    const quote = d.icmp?.kind === 'destination-unreachable' ? Buffer.from(d.icmp.original) : undefined;
    expect(quote).toEqual(original.subarray(14, 14 + 28));
    expect(await stats()).toMatchObject({ netUnreachable: 1, rateLimited: 0 });
  });

  it('an ICMP error to an unrouted address gets nothing (RFC 1812 4.3.2.7)', async () => {
    const error = buildIcmp({
      kind: 'destination-unreachable',
      code: 3,
      nextHopMtu: 0,
      original: udpFromA('10.1.0.11').subarray(14, 42),
    });
    await receive(frameFromA('203.0.113.1', error, 1, 2));
    await until(async () => (await stats()).ignored === 1 || undefined, 'the ICMP error seen');
    expect(await stats()).toMatchObject({ netUnreachable: 1, ignored: 1 });
  });

  it(`with ${BURST} tokens and no refill, a burst of 10 is answered as far as the tokens go`, async () => {
    // Two tokens are spent (one answer, one ignored ICMP error): two answers remain.
    const before = (await readPcap(pcap())).filter(isUnreachable).length;
    const seen = await handled();
    for (let i = 0; i < 10; i++) await receive(udpFromA(`203.0.113.${10 + i}`, 100 + i));
    await until(async () => (await handled()) === seen + 10 || undefined, 'ten packet-ins handled');
    expect(await stats()).toMatchObject({ netUnreachable: 3, rateLimited: 8, ignored: 1 });
    const replies = await until(async () => {
      const n = (await readPcap(pcap())).filter(isUnreachable).length - before;
      return n >= 2 ? n : undefined;
    }, 'two more replies');
    expect(replies).toBe(2);
    const metric = c.runtime.metrics.getSingleMetric('vlcp_l3_packet_ins_rate_limited_total') as Counter;
    expect((await metric.get()).values[0]?.value).toBe(8);
  });
});
