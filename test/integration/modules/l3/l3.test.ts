/**
 * The l3 module against a private dummy OVS (with the real l2 and arpresponder modules),
 * `ofproto/trace` as the oracle, and real packets through `netdev-dummy/receive` with the
 * port's `tx_pcap` where the switch or the controller answers: a packet from network A to
 * network B is routed (TTL decremented, MACs rewritten, out of B's port) only while both
 * subnets are attached to one router; removing an interface cuts it; echo to a router
 * address is answered by the switch with valid checksums; TTL 1 gets time-exceeded from the
 * gateway; a static route through a logical port acting as a router.
 */
import { DEFAULT_GATEWAY_MAC } from '../../../../src/modules/arp-responder';
import { FLOWSYNC_COOKIE, flowFromStats } from '../../../../src/modules/flowsync';
import { compileRouter, l3Cookie, routerFromView } from '../../../../src/modules/l3';
import { watchVirtualRouter } from '../../../../src/modules/vrouter-api';
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
import { type OutgoingMessage, toDatapathId } from '../../../../src/openflow/protocol';
import { Group, Port } from '../../../../src/openflow/v13/constants';
import { addDummyPort, cleanupAll, type OvsInstance, startOvs, txPcapPath } from '../../../harness';
import { readPcap } from '../dhcp-server/pcap';
import { datapathActions, type L3Controller, startL3Controller, until } from './l3-controller';

afterAll(cleanupAll);

const GW = DEFAULT_GATEWAY_MAC;
const MAC = {
  a: '02:00:00:00:01:11',
  b: '02:00:00:00:02:12',
  r: '02:00:00:00:02:05',
};

async function addPort(ovs: OvsInstance, name: string, iface: string): Promise<void> {
  await addDummyPort(ovs, name, { ifaceId: iface, txPcap: true });
}

const toGw = (dst: string, ttl = 64) =>
  `in_port=pa,dl_src=${MAC.a},dl_dst=${GW},ip,nw_src=10.1.0.11,nw_dst=${dst},nw_proto=6,nw_ttl=${ttl}`;

/** The frame a sends to the gateway MAC: ICMP echo request to `dst` with `ttl`. */
function echoFrame(dst: string, ttl: number): Buffer {
  const icmp = buildIcmp({
    kind: 'echo-request',
    code: 0,
    identifier: 0x4242,
    sequence: 7,
    data: Buffer.from('vlcp-ts l3 echo payload'),
  });
  const ip = buildIpv4Packet({
    dscp: 0,
    ecn: 0,
    identification: 99,
    dontFragment: true,
    moreFragments: false,
    fragmentOffset: 0,
    ttl,
    protocol: 1,
    src: '10.1.0.11' as Ipv4Address,
    dst: dst as Ipv4Address,
    payload: icmp,
  });
  return buildEthernet({ dst: GW, src: MAC.a as MacAddress, ethertype: 0x0800, payload: ip });
}

describe('l3 routing on a dummy OVS', () => {
  let ovs: OvsInstance;
  let c: L3Controller;

  /** Waits until the trace's datapath actions satisfy `ok` (flows land asynchronously). */
  const expectActions = async (flow: string, ok: RegExp) => {
    let last = '';
    await until(async () => {
      last = await datapathActions(ovs, 'br0', flow);
      return ok.test(last) || undefined;
    }, `trace ${flow} =~ ${ok}`).catch(() => undefined);
    expect(last).toMatch(ok);
  };

  /** Sends `frame` in on pa and returns the next frame pa transmits that `pick` accepts. */
  const exchange = async (frame: Buffer, pick: (f: Buffer) => boolean) => {
    const pcap = txPcapPath(ovs, 'pa');
    const before = (await readPcap(pcap)).length;
    await ovs.appctl('netdev-dummy/receive', 'pa', frame.toString('hex'));
    return until(async () => (await readPcap(pcap)).slice(before).find(pick), 'a reply on pa');
  };

  /** Not routed: r1 has no route there, so the controller answers ICMP net unreachable. */
  const UNROUTED = /^userspace\(.*controller\(.*rule_cookie=0x564c4c3300000001/;
  const ROUTED = new RegExp(`set\\(eth\\(src=${GW},dst=${MAC.b}\\)\\),set\\(ipv4\\(.*ttl=63.*\\)\\),pb$`);

  beforeAll(async () => {
    ovs = await startOvs({ dummy: true, systemId: 'l3-host' });
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
        { id: 'lpa', logicalnetwork: 'na', subnet: 'sa', mac_address: MAC.a, ip_address: '10.1.0.11' },
        { id: 'lpb', logicalnetwork: 'nb', subnet: 'sb', mac_address: MAC.b, ip_address: '10.2.0.12' },
        { id: 'lpr', logicalnetwork: 'nb', subnet: 'sb', mac_address: MAC.r, ip_address: '10.2.0.5' },
      ],
    });
    await addPort(ovs, 'pa', 'lpa');
    await addPort(ovs, 'pb', 'lpb');
    await addPort(ovs, 'pr', 'lpr');
    await c.call('createvirtualrouter', { id: 'r1' });
    await c.call('addrouterinterface', { router: 'r1', subnet: 'sa' });
  });

  it('with one subnet attached nothing crosses to network B', async () => {
    // The router is on the switch (its l3input flows for network A), yet B is not attached.
    await until(async () => {
      const out = await ovs.ofctl('-O', 'OpenFlow13', '--no-stats', 'dump-flows', 'br0');
      return out.includes('cookie=0x564c4c3300000001') || undefined;
    }, 'the router r1 flows');
    await expectActions(toGw('10.2.0.12'), UNROUTED);
  });

  it('routes A → B once both subnets are attached: TTL-1, MACs rewritten, out of B’s port', async () => {
    await c.call('addrouterinterface', { router: 'r1', subnet: 'sb' });
    await expectActions(toGw('10.2.0.12'), ROUTED);
    // Unknown hosts of an attached subnet go to the controller for ICMP host unreachable
    // (they used to drop; l3-host-unreachable.test.ts), as unrouted destinations do for net
    // unreachable (l3-unreachable.test.ts); the subnet's broadcast address still drops.
    await expectActions(toGw('10.2.0.77'), UNROUTED);
    await expectActions(toGw('10.2.0.255'), /^drop$/);
    await expectActions(toGw('8.8.8.8'), UNROUTED);
  });

  it('the switch answers echo to a router address; the reply checksums are valid', async () => {
    await expectActions(
      `${toGw('10.2.0.1').replace('nw_proto=6', 'icmp_type=8,icmp_code=0').replace(',ip,', ',icmp,')}`,
      /pa$/,
    );
    for (const gw of ['10.1.0.1', '10.2.0.1']) {
      const reply = await exchange(echoFrame(gw, 64), (f) => decodeFrame(f).icmp?.kind === 'echo-reply');
      const d = decodeFrame(reply);
      expect(d.ethernet).toMatchObject({ src: GW, dst: MAC.a });
      expect(d.ipv4).toMatchObject({ src: gw, dst: '10.1.0.11', ttl: 64 });
      expect(d.icmp).toMatchObject({ kind: 'echo-reply', identifier: 0x4242, sequence: 7 });
      expect(verifyIpv4Checksum(reply.subarray(14, 34))).toBe(true);
      expect(verifyIcmpChecksum(d.ipv4!.payload)).toBe(true);
    }
  });

  it('TTL 1 gets ICMP time-exceeded from the gateway on the sender’s subnet', async () => {
    await expectActions(toGw('10.2.0.12', 1), /userspace|controller/);
    const reply = await exchange(
      echoFrame('10.2.0.12', 1),
      (f) => decodeFrame(f).icmp?.kind === 'time-exceeded',
    );
    const d = decodeFrame(reply);
    expect(d.ethernet).toMatchObject({ src: GW, dst: MAC.a });
    expect(d.ipv4).toMatchObject({ src: '10.1.0.1', dst: '10.1.0.11' });
    expect(verifyIcmpChecksum(d.ipv4!.payload)).toBe(true);
  });

  it('a static route through a logical port acting as a router, longest prefix first', async () => {
    await c.call('updatevirtualrouter', { id: 'r1', routes: [['192.168.0.0/16', '10.2.0.5']] });
    await expectActions(
      toGw('192.168.3.4'),
      new RegExp(`set\\(eth\\(src=${GW},dst=${MAC.r}\\)\\),set\\(ipv4\\(.*ttl=63.*\\)\\),pr$`),
    );
    // The port's own /32 beats the route; a /32 route beats the port's subnet.
    await c.call('updatevirtualrouter', {
      id: 'r1',
      routes: [
        ['192.168.0.0/16', '10.2.0.5'],
        ['10.2.0.77/32', '10.2.0.5'],
      ],
    });
    await expectActions(toGw('10.2.0.77'), /pr$/);
    await expectActions(toGw('10.2.0.12'), ROUTED);
  });

  it('incremental: one more route is one flow-mod; another router is untouched', async () => {
    const dpid = toDatapathId(await ovs.vsctl('get', 'bridge', 'br0', 'datapath_id'));
    const flowMods = () => c.sync.status().find((s) => s.datapathId === dpid)?.flowMods ?? 0;
    await c.call('createlogicalnetwork', { id: 'nc', physicalnetwork: 'pv', vlanid: 102 });
    await c.call('createsubnet', {
      id: 'sc',
      logicalnetwork: 'nc',
      cidr: '10.3.0.0/24',
      gateway: '10.3.0.1',
    });
    await c.call('createlogicalport', {
      id: 'lpc',
      logicalnetwork: 'nc',
      subnet: 'sc',
      ip_address: '10.3.0.9',
    });
    await addPort(ovs, 'pc', 'lpc');
    await c.call('createvirtualrouter', { id: 'r2' });
    await c.call('addrouterinterface', { router: 'r2', subnet: 'sc' });
    const r2Flows = async () =>
      (await ovs.ofctl('-O', 'OpenFlow13', '--no-stats', 'dump-flows', 'br0'))
        .split('\n')
        .filter((l) => l.includes('cookie=0x564c4c3300000002'))
        .sort();
    const before = await until(async () => {
      const f = await r2Flows();
      return f.length > 0 ? f : undefined;
    }, 'router r2 installed');
    await c.sync.idle(dpid);
    const mods = flowMods();
    await c.call('updatevirtualrouter', {
      id: 'r1',
      routes: [
        ['192.168.0.0/16', '10.2.0.5'],
        ['10.2.0.77/32', '10.2.0.5'],
        ['172.16.0.0/12', '10.2.0.5'],
      ],
    });
    await expectActions(toGw('172.16.0.1'), /pr$/);
    await c.sync.idle(dpid);
    expect(flowMods() - mods).toBe(1);
    expect(await r2Flows()).toEqual(before);
    // r1's packets never reach r2's network: the tags keep the routers apart.
    await expectActions(toGw('10.3.0.9'), UNROUTED);
  });

  it('installs exactly what it compiles from the router view: read back, the flows are equal', async () => {
    const dpid = toDatapathId(await ovs.vsctl('get', 'bridge', 'br0', 'datapath_id'));
    const watch = await watchVirtualRouter(c.db, 'r1');
    const view = routerFromView(watch.current().values, 'r1');
    watch.close();
    const tables = {
      l3input: c.openflow.tables.number('l3input'),
      l3router: c.openflow.tables.number('l3router'),
      l2output: c.openflow.tables.number('l2output'),
    };
    const declared = compileRouter(view!, tables, GW, 1);
    await c.sync.idle(dpid);
    const parts = await c.openflow.switch(dpid)!.connection.requestMultipart({
      type: 'flow_stats_request',
      flags: 0,
      tableId: 0xff,
      outPort: Port.ANY,
      outGroup: Group.ANY,
      cookie: FLOWSYNC_COOKIE | l3Cookie(1),
      cookieMask: 0xffff_ffff_ffff_ffffn,
      match: { fields: [] },
    } as OutgoingMessage);
    const read = parts.flatMap((p) => (p.type === 'flow_stats_reply' && 'stats' in p ? p.stats : []));
    const key = (f: { table: number; priority: number; match: string; body: string; cookie: bigint }) =>
      `${f.table}/${f.priority}/${f.match}/${f.body}/${f.cookie}`;
    expect(read.map((s) => key(flowFromStats(s))).sort()).toEqual(declared.map(key).sort());
    // 2 networks × 2 in l3input; echo + own-address per address (2), TTL 0/1, 3 ports,
    // network + broadcast drops per subnet (2 × 2, new with host unreachable), 2 subnets,
    // 3 routes and the no-route flow in l3router.
    expect(declared).toHaveLength(4 + 4 + 2 + 3 + 4 + 2 + 3 + 1);
  });

  it('a router is on a bridge exactly while a port of its networks is bound there', async () => {
    await ovs.addBridge('br1', { controllerPort: c.ofPort, protocols: 'OpenFlow13' });
    await ovs.vsctl(
      'add-port',
      'br1',
      'px',
      '--',
      'set',
      'interface',
      'px',
      'type=dummy',
      'external_ids:iface-id=nobody',
    );
    const dpid = toDatapathId(await ovs.vsctl('get', 'bridge', 'br1', 'datapath_id'));
    await until(() => c.openflow.switch(dpid) !== undefined, 'br1 connected');
    await c.sync.idle(dpid);
    const out = await ovs.ofctl('-O', 'OpenFlow13', '--no-stats', 'dump-flows', 'br1');
    expect(out).toContain('cookie=0x564c000000000000'); // the pipeline's miss flows are there
    expect(out).not.toContain('0x564c4c33');
    // A port of network A plugged into br1 brings router r1 (only) there.
    await c.call('createlogicalport', {
      id: 'lpa2',
      logicalnetwork: 'na',
      subnet: 'sa',
      ip_address: '10.1.0.22',
    });
    await ovs.vsctl(
      'add-port',
      'br1',
      'pa2',
      '--',
      'set',
      'interface',
      'pa2',
      'type=dummy',
      'external_ids:iface-id=lpa2',
    );
    const r1 = await until(async () => {
      const dump = await ovs.ofctl('-O', 'OpenFlow13', '--no-stats', 'dump-flows', 'br1');
      return dump.includes('cookie=0x564c4c3300000001') ? dump : undefined;
    }, 'router r1 on br1');
    expect(r1).not.toContain('cookie=0x564c4c3300000002');
    await ovs.vsctl('del-port', 'br1', 'pa2');
    await until(async () => {
      const dump = await ovs.ofctl('-O', 'OpenFlow13', '--no-stats', 'dump-flows', 'br1');
      return !dump.includes('0x564c4c33') || undefined;
    }, 'router r1 gone from br1 with its port');
  });

  it('removing an interface cuts routing again', async () => {
    await c.call('updatevirtualrouter', { id: 'r1', routes: [] });
    await c.call('removerouterinterface', { router: 'r1', subnet: 'sb' });
    await expectActions(toGw('10.2.0.12'), UNROUTED);
    // Network B's own traffic is untouched: l2 still delivers within it.
    await expectActions(
      `in_port=pr,dl_src=${MAC.r},dl_dst=${MAC.b},ip,nw_src=10.2.0.5,nw_dst=10.2.0.12,nw_proto=6`,
      /^pb$/,
    );
  });

  it('deleting the routers withdraws every l3 flow', async () => {
    await c.call('removerouterinterface', { router: 'r1', subnet: 'sa' });
    await c.call('deletevirtualrouter', { id: 'r1' });
    await c.call('removerouterinterface', { router: 'r2', subnet: 'sc' });
    await c.call('deletevirtualrouter', { id: 'r2' });
    const flows = await until(async () => {
      const out = await ovs.ofctl('-O', 'OpenFlow13', '--no-stats', 'dump-flows', 'br0');
      return out.includes('cookie=0x564c4c33') ? undefined : out;
    }, 'l3 flows gone');
    expect(flows).not.toContain('0x564c4c33');
  });
});
