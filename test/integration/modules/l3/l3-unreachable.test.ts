/**
 * ICMP net unreachable against a private dummy OVS (real l2, arpresponder, vrouterapi, l3):
 * `ofproto/trace` shows the controller action for a destination no subnet or route covers,
 * from the lowest-priority l3router flow; a real frame through `netdev-dummy/receive` comes
 * back on the port's `tx_pcap` as the packet_out the controller built (type 3 code 0 from
 * the gateway, checksums valid, the original header + 8 bytes quoted); an ICMP error gets
 * nothing; and with the limiter configured to 4 tokens and no refill, a burst of packet-ins
 * is answered exactly as far as the tokens go — counted, not timed.
 */
import { join } from 'node:path';
import type { Counter } from 'prom-client';
import { DEFAULT_GATEWAY_MAC } from '../../../../src/modules/arp-responder';
import {
  buildEthernet,
  buildIcmp,
  buildIpv4Packet,
  decodeFrame,
  type Ipv4Address,
  type MacAddress,
  verifyIcmpChecksum,
  verifyIpv4Checksum,
} from '../../../../src/openflow/packet';
import { cleanupAll, type OvsInstance, startOvs } from '../../../harness';
import { readPcap } from '../dhcp-server/pcap';
import { datapathActions, type L3Controller, startL3Controller, until } from './l3-controller';

afterAll(cleanupAll);

const GW = DEFAULT_GATEWAY_MAC;
const MAC_A = '02:00:00:00:01:11';
const BURST = 4;

function frameTo(dst: string, payload: Buffer, protocol: number, identification: number): Buffer {
  const ip = buildIpv4Packet({
    dscp: 0,
    ecn: 0,
    identification,
    dontFragment: true,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: 64,
    protocol,
    src: '10.1.0.11' as Ipv4Address,
    dst: dst as Ipv4Address,
    payload,
  });
  return buildEthernet({ dst: GW, src: MAC_A as MacAddress, ethertype: 0x0800, payload: ip });
}

/** UDP 40000 → 33434 (what traceroute sends), 12 bytes of data. */
const udpTo = (dst: string, id = 1) =>
  frameTo(dst, Buffer.from('9c409a7a0014000068656c6c6f2d766c63702d7473', 'hex'), 17, id);

const isUnreachable = (f: Buffer) => decodeFrame(f).icmp?.kind === 'destination-unreachable';

interface L3Stats {
  readonly netUnreachable: number;
  readonly rateLimited: number;
  readonly ignored: number;
}

describe('ICMP net unreachable from a virtual router (dummy OVS)', () => {
  let ovs: OvsInstance;
  let c: L3Controller;
  const pcap = () => join(ovs.dir, 'pa-tx.pcap');
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
      ports: [{ id: 'lpa', logicalnetwork: 'na', subnet: 'sa', mac_address: MAC_A, ip_address: '10.1.0.11' }],
    });
    await ovs.vsctl(
      'add-port',
      'br0',
      'pa',
      '--',
      'set',
      'interface',
      'pa',
      'type=dummy',
      'external_ids:iface-id=lpa',
      `options:tx_pcap=${pcap()}`,
    );
    await c.call('createvirtualrouter', { id: 'r1' });
    await c.call('addrouterinterface', { router: 'r1', subnet: 'sa' });
    await c.call('updatevirtualrouter', { id: 'r1', routes: [['192.168.0.0/16', '10.1.0.5']] });
  });

  it('trace: no subnet and no route → the controller, from the lowest l3router flow', async () => {
    const flow = (dst: string) =>
      `in_port=pa,dl_src=${MAC_A},dl_dst=${GW},ip,nw_src=10.1.0.11,nw_dst=${dst},nw_proto=17,nw_ttl=64`;
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
    const original = udpTo('203.0.113.1');
    await receive(original);
    const reply = await until(
      async () => (await readPcap(pcap())).slice(before).find(isUnreachable),
      'net unreachable on pa',
    );
    const d = decodeFrame(reply);
    expect(d.ethernet).toMatchObject({ src: GW, dst: MAC_A });
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
      original: udpTo('10.1.0.11').subarray(14, 42),
    });
    await receive(frameTo('203.0.113.1', error, 1, 2));
    await until(async () => (await stats()).ignored === 1 || undefined, 'the ICMP error seen');
    expect(await stats()).toMatchObject({ netUnreachable: 1, ignored: 1 });
  });

  it(`with ${BURST} tokens and no refill, a burst of 10 is answered as far as the tokens go`, async () => {
    // Two tokens are spent (one answer, one ignored ICMP error): two answers remain.
    const before = (await readPcap(pcap())).filter(isUnreachable).length;
    const seen = await handled();
    for (let i = 0; i < 10; i++) await receive(udpTo(`203.0.113.${10 + i}`, 100 + i));
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
