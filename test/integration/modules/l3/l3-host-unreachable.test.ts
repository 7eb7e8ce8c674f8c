/**
 * ICMP host unreachable against a private dummy OVS (real l2, arpresponder, vrouterapi, l3):
 * `ofproto/trace` of an address of an attached subnet that no logical port holds ends in the
 * controller action of that subnet's own l3router flow (not the no-route flow), while the
 * subnet's network and broadcast addresses drop in the switch; a real frame through
 * `netdev-dummy/receive` comes back on the port's `tx_pcap` as type 3 code 1 from the
 * sender's gateway (checksums valid, header + 8 bytes quoted); a directed broadcast costs no
 * packet-in (counted, not timed); once a port takes the address it is routed instead.
 */
import type { Counter } from 'prom-client';
import { decodeFrame, verifyIcmpChecksum, verifyIpv4Checksum } from '../../../../src/openflow/packet';
import { addDummyPort, cleanupAll, type OvsInstance, startOvs, txPcapPath } from '../../../harness';
import { readPcap } from '../dhcp-server/pcap';
import { A, GW, type L3Stats, udpFromA, udpTraceFromA, unreachableCode } from './icmp-probe';
import { datapathActions, type L3Controller, startL3Controller, until } from './l3-controller';

afterAll(cleanupAll);

const MAC_B = '02:00:00:00:02:12';
const MAC_NEW = '02:00:00:00:02:77';

describe('ICMP host unreachable from a virtual router (dummy OVS)', () => {
  let ovs: OvsInstance;
  let c: L3Controller;
  const pcap = () => txPcapPath(ovs, A.port);
  const stats = async () => (await c.runtime.call('l3', 'stats', {})) as L3Stats;
  const receive = (f: Buffer) => ovs.appctl('netdev-dummy/receive', 'pa', f.toString('hex'));
  const traceFlow = udpTraceFromA;
  let l3router = 0;

  beforeAll(async () => {
    ovs = await startOvs({ dummy: true, systemId: 'l3-hostunr' });
    c = await startL3Controller(ovs);
    await ovs.addBridge('br0', { controllerPort: c.ofPort, protocols: 'OpenFlow13' });
    await c.call('createphysicalnetwork', { id: 'pv', type: 'vlan', vlanrange: [[100, 200]] });
    await c.call('createlogicalnetwork', { id: 'na', physicalnetwork: 'pv', vlanid: 100 });
    await c.call('createlogicalnetwork', { id: 'nb', physicalnetwork: 'pv', vlanid: 101 });
    await c.call('createsubnet', {
      id: 'sa',
      logicalnetwork: 'na',
      cidr: '10.1.0.0/24',
      gateway: '10.1.0.1',
    });
    await c.call('createsubnet', {
      id: 'sb',
      logicalnetwork: 'nb',
      cidr: '10.2.0.0/24',
      gateway: '10.2.0.1',
    });
    await c.call('createlogicalports', {
      ports: [
        { id: 'lpa', logicalnetwork: 'na', subnet: 'sa', mac_address: A.mac, ip_address: '10.1.0.11' },
        { id: 'lpb', logicalnetwork: 'nb', subnet: 'sb', mac_address: MAC_B, ip_address: '10.2.0.12' },
      ],
    });
    await addDummyPort(ovs, A.port, { ifaceId: 'lpa', txPcap: true });
    await addDummyPort(ovs, 'pb', { ifaceId: 'lpb' });
    await c.call('createvirtualrouter', { id: 'r1' });
    await c.call('addrouterinterface', { router: 'r1', subnet: 'sa' });
    await c.call('addrouterinterface', { router: 'r1', subnet: 'sb' });
    l3router = c.openflow.tables.number('l3router');
    // Both subnets installed: B's known port is routed.
    await until(async () => {
      const a = await datapathActions(ovs, 'br0', traceFlow('10.2.0.12'));
      return a.includes(`dst=${MAC_B}`) || undefined;
    }, 'routing to 10.2.0.12');
  });

  it('trace: an unknown host of subnet B → the controller, from B’s subnet flow', async () => {
    expect(await datapathActions(ovs, 'br0', traceFlow('10.2.0.77'))).toMatch(
      /^userspace\(.*controller\(.*rule_cookie=0x564c4c3300000001/,
    );
    // The rule that matched in l3router is B's /24 (priority 1000 + 2·24 + 1), not the no-route one.
    const trace = await ovs.appctl('ofproto/trace', 'br0', traceFlow('10.2.0.77'));
    const inRouter = trace
      .split('\n')
      .find((l) => new RegExp(`^\\s*${l3router}\\. .*nw_dst=10\\.2\\.0\\.0/24`).test(l));
    expect(inRouter).toMatch(/priority 1049/);
    const flows = (
      await ovs.ofctl('-O', 'OpenFlow13', '--no-stats', 'dump-flows', 'br0', `table=${l3router}`)
    ).split('\n');
    expect(flows.find((l) => l.includes('nw_dst=10.2.0.0/24'))).toMatch(
      /priority=1049,ip,metadata=0x8000000000000001,nw_dst=10\.2\.0\.0\/24 actions=CONTROLLER:65535/,
    );
    // The network and broadcast addresses of either subnet drop in the switch.
    for (const dst of ['10.2.0.0', '10.2.0.255', '10.1.0.0', '10.1.0.255'])
      expect(await datapathActions(ovs, 'br0', traceFlow(dst))).toBe('drop');
    expect(
      flows.filter((l) => /priority=1065,ip,.*nw_dst=10\.[12]\.0\.(0|255) actions=drop/.test(l)),
    ).toHaveLength(4);
  });

  it('a frame to an unknown host of subnet B gets type 3 code 1 from A’s gateway, out of its in_port', async () => {
    const before = (await readPcap(pcap())).length;
    const original = udpFromA('10.2.0.77');
    await receive(original);
    const reply = await until(
      async () => (await readPcap(pcap())).slice(before).find((f) => unreachableCode(f) !== undefined),
      'host unreachable on pa',
    );
    const d = decodeFrame(reply);
    expect(d.ethernet).toMatchObject({ src: GW, dst: A.mac });
    expect(d.ipv4).toMatchObject({ src: '10.1.0.1', dst: '10.1.0.11', protocol: 1, ttl: 64 });
    expect(d.icmp).toMatchObject({ kind: 'destination-unreachable', code: 1, nextHopMtu: 0 });
    expect(verifyIpv4Checksum(d.ethernet!.payload)).toBe(true);
    expect(verifyIcmpChecksum(d.ipv4!.payload)).toBe(true);
    const quote = d.icmp?.kind === 'destination-unreachable' ? Buffer.from(d.icmp.original) : undefined;
    expect(quote).toEqual(original.subarray(14, 14 + 28));
    expect(await stats()).toMatchObject({ hostUnreachable: 1, netUnreachable: 0, ignored: 0 });
    const sent = c.runtime.metrics.getSingleMetric('vlcp_l3_icmp_errors_sent_total') as Counter;
    expect((await sent.get()).values).toContainEqual(
      expect.objectContaining({ labels: { type: 'host-unreachable' }, value: 1 }),
    );
  });

  it('a directed broadcast costs no packet-in: the next unknown-host frame is the only one handled', async () => {
    const before = (await readPcap(pcap())).length;
    await receive(udpFromA('10.2.0.255', 2));
    await receive(udpFromA('10.2.0.78', 3));
    // Packet-ins of one switch arrive in order: once the second is answered, the first was seen.
    await until(async () => (await stats()).hostUnreachable === 2 || undefined, 'the second frame answered');
    expect(await stats()).toMatchObject({
      hostUnreachable: 2,
      netUnreachable: 0,
      ignored: 0,
      rateLimited: 0,
    });
    const replies = await until(async () => {
      const r = (await readPcap(pcap())).slice(before).filter((f) => unreachableCode(f) !== undefined);
      return r.length > 0 ? r : undefined;
    }, 'the reply on pa');
    expect(replies.map(unreachableCode)).toEqual([1]);
    const quoted = decodeFrame(replies[0]!).icmp;
    expect(
      quoted?.kind === 'destination-unreachable' && Buffer.from(quoted.original).subarray(16, 20),
    ).toEqual(Buffer.from([10, 2, 0, 78]));
  });

  it('once a logical port holds the address it is routed, not unreachable', async () => {
    await c.call('createlogicalport', {
      id: 'lpnew',
      logicalnetwork: 'nb',
      subnet: 'sb',
      mac_address: MAC_NEW,
      ip_address: '10.2.0.77',
    });
    // Not plugged in anywhere, so l2 has nowhere to send it: no controller action any more.
    const actions = await until(async () => {
      const a = await datapathActions(ovs, 'br0', traceFlow('10.2.0.77'));
      return a.includes('controller') ? undefined : a;
    }, 'no more controller action for 10.2.0.77');
    expect(actions).not.toMatch(/userspace/);
    const flows = await ovs.ofctl('-O', 'OpenFlow13', '--no-stats', 'dump-flows', 'br0', `table=${l3router}`);
    expect(flows).toMatch(
      new RegExp(`priority=1065,ip,.*nw_dst=10\\.2\\.0\\.77 actions=.*set_field:${MAC_NEW}->eth_dst`),
    );
    // Another unknown host of B still goes to the controller; the routed frame sent before it
    // raised no packet-in (in order again: when the second is answered, nothing else was seen).
    expect(await datapathActions(ovs, 'br0', traceFlow('10.2.0.79'))).toMatch(/^userspace\(.*controller/);
    await receive(udpFromA('10.2.0.77', 4));
    await receive(udpFromA('10.2.0.79', 5));
    await until(async () => (await stats()).hostUnreachable === 3 || undefined, 'the unknown host answered');
    expect(await stats()).toMatchObject({ hostUnreachable: 3, netUnreachable: 0, ignored: 0 });
  });
});
