/**
 * The l2 module against a private dummy OVS, with `ofproto/trace` as the oracle: unicast
 * inside a logical network, isolation between networks, port security, flooding, a VLAN
 * physical network (tagged to remote MACs, untagged in), logical ports created before and
 * after their OVS ports, a deleted logical port losing its flows.
 */
import { addDummyPort, cleanupAll, type OvsInstance, startOvs } from '../../../harness';
import { type L2Controller, l2FlowLines, startL2Controller } from './l2-controller';
import { expectTrace as expectTraceOf } from './trace';

afterAll(cleanupAll);

const MAC = {
  a: '02:00:00:00:01:01',
  b: '02:00:00:00:01:02',
  c: '02:00:00:00:02:03',
  r: '02:00:00:00:01:04',
  e: '02:00:00:00:01:05',
  spoof: '02:00:00:00:09:09',
};

async function addPort(ovs: OvsInstance, name: string, iface?: string): Promise<void> {
  await addDummyPort(ovs, name, { ifaceId: iface });
}

const ip = (src: string, dst: string, nwSrc: string, nwDst: string) =>
  `dl_src=${src},dl_dst=${dst},ip,nw_src=${nwSrc},nw_dst=${nwDst},nw_proto=1`;

describe('l2 flows on a dummy OVS (VLAN physical network)', () => {
  let ovs: OvsInstance;
  let c: L2Controller;
  const expectTrace = (flow: string, want: string[]) => expectTraceOf(ovs, flow, want);

  beforeAll(async () => {
    ovs = await startOvs({ dummy: true, systemId: 'host-a' });
    c = await startL2Controller(ovs);
    await ovs.addBridge('br0', { controllerPort: c.ofPort, protocols: 'OpenFlow13' });
    await c.call('createphysicalnetwork', { id: 'pv', type: 'vlan', vlanrange: [[100, 200]] });
    await c.call('createphysicalport', { physicalnetwork: 'pv', name: 'eth1' });
    await c.call('createlogicalnetwork', { id: 'n1', physicalnetwork: 'pv', vlanid: 100 });
    await c.call('createlogicalnetwork', { id: 'n2', physicalnetwork: 'pv', vlanid: 101 });
    await c.call('createsubnet', { id: 's1', logicalnetwork: 'n1', cidr: '10.1.0.0/24' });
    await c.call('createsubnet', { id: 's2', logicalnetwork: 'n2', cidr: '10.2.0.0/24' });
    // API first, OVS port after.
    await c.call('createlogicalports', {
      ports: [
        { id: 'lpa', logicalnetwork: 'n1', subnet: 's1', mac_address: MAC.a, ip_address: '10.1.0.11' },
        { id: 'lpb', logicalnetwork: 'n1', subnet: 's1', mac_address: MAC.b, ip_address: '10.1.0.12' },
        { id: 'lpc', logicalnetwork: 'n2', subnet: 's2', mac_address: MAC.c, ip_address: '10.2.0.13' },
        // On another host: never plugged in here.
        { id: 'lpr', logicalnetwork: 'n1', subnet: 's1', mac_address: MAC.r, ip_address: '10.1.0.14' },
      ],
    });
    await addPort(ovs, 'pa', 'lpa');
    await addPort(ovs, 'pb', 'lpb');
    await addPort(ovs, 'pc', 'lpc');
    await addPort(ovs, 'eth1');
  });

  it('unicast inside a network reaches the destination port only', async () => {
    await expectTrace(`in_port=pa,${ip(MAC.a, MAC.b, '10.1.0.11', '10.1.0.12')}`, ['pb']);
    await expectTrace(`in_port=pb,${ip(MAC.b, MAC.a, '10.1.0.12', '10.1.0.11')}`, ['pa']);
  });

  it('a port of another network is unreachable: the frame floods its own network only', async () => {
    await expectTrace(`in_port=pa,${ip(MAC.a, MAC.c, '10.1.0.11', '10.2.0.13')}`, ['eth1@vlan=100', 'pb']);
    await expectTrace(`in_port=pc,${ip(MAC.c, MAC.a, '10.2.0.13', '10.1.0.11')}`, ['eth1@vlan=101']);
  });

  it('port security: a spoofed source MAC or IP is dropped; ARP and DHCP from 0.0.0.0 pass', async () => {
    await expectTrace(`in_port=pa,${ip(MAC.a, MAC.b, '10.1.0.11', '10.1.0.12')}`, ['pb']);
    await expectTrace(`in_port=pa,${ip(MAC.spoof, MAC.b, '10.1.0.11', '10.1.0.12')}`, []);
    await expectTrace(`in_port=pa,${ip(MAC.a, MAC.b, '10.1.0.99', '10.1.0.12')}`, []);
    await expectTrace(
      `in_port=pa,dl_src=${MAC.a},dl_dst=ff:ff:ff:ff:ff:ff,arp,arp_op=1,arp_sha=${MAC.a},arp_spa=10.1.0.11,arp_tpa=10.1.0.12`,
      ['eth1@vlan=100', 'pb'],
    );
    await expectTrace(
      `in_port=pa,dl_src=${MAC.a},dl_dst=ff:ff:ff:ff:ff:ff,arp,arp_op=1,arp_sha=${MAC.spoof},arp_spa=10.1.0.11,arp_tpa=10.1.0.12`,
      [],
    );
    await expectTrace(
      `in_port=pa,dl_src=${MAC.a},dl_dst=ff:ff:ff:ff:ff:ff,arp,arp_op=1,arp_sha=${MAC.a},arp_spa=0.0.0.0,arp_tpa=10.1.0.11`,
      ['eth1@vlan=100', 'pb'],
    );
    await expectTrace(
      `udp,in_port=pa,dl_src=${MAC.a},dl_dst=ff:ff:ff:ff:ff:ff,nw_src=0.0.0.0,nw_dst=255.255.255.255,udp_src=68,udp_dst=67`,
      ['eth1@vlan=100', 'pb'],
    );
    await expectTrace(`in_port=pa,dl_src=${MAC.a},dl_dst=${MAC.b},ipv6`, []);
  });

  it('broadcast floods the network: its local ports and the physical port, tagged; never back in', async () => {
    await expectTrace(`in_port=pb,${ip(MAC.b, 'ff:ff:ff:ff:ff:ff', '10.1.0.12', '10.1.0.255')}`, [
      'eth1@vlan=100',
      'pa',
    ]);
    await expectTrace(`in_port=pc,${ip(MAC.c, 'ff:ff:ff:ff:ff:ff', '10.2.0.13', '10.2.0.255')}`, [
      'eth1@vlan=101',
    ]);
  });

  it('VLAN: a remote MAC leaves the physical port tagged; tagged frames come in untagged', async () => {
    await expectTrace(`in_port=pa,${ip(MAC.a, MAC.r, '10.1.0.11', '10.1.0.14')}`, ['eth1@vlan=100']);
    await expectTrace(`in_port=eth1,dl_vlan=100,${ip(MAC.r, MAC.a, '10.1.0.14', '10.1.0.11')}`, ['pa']);
    await expectTrace(`in_port=eth1,dl_vlan=101,${ip(MAC.r, MAC.c, '10.1.0.14', '10.2.0.13')}`, ['pc']);
    // A frame tagged for n2 stays in n2 (pa's MAC is unknown there: it floods n2's ports only);
    // untagged frames and unknown tags are dropped.
    await expectTrace(`in_port=eth1,dl_vlan=101,${ip(MAC.r, MAC.a, '10.1.0.14', '10.1.0.11')}`, ['pc']);
    await expectTrace(`in_port=eth1,${ip(MAC.r, MAC.a, '10.1.0.14', '10.1.0.11')}`, []);
    await expectTrace(`in_port=eth1,dl_vlan=150,${ip(MAC.r, MAC.a, '10.1.0.14', '10.1.0.11')}`, []);
    // A broadcast from the physical network reaches the local ports, not the physical port again.
    await expectTrace(
      `in_port=eth1,dl_vlan=100,${ip(MAC.r, 'ff:ff:ff:ff:ff:ff', '10.1.0.14', '10.1.0.255')}`,
      ['pa', 'pb'],
    );
  });

  it('OVS port first, logical port after: the port works once created', async () => {
    await addPort(ovs, 'pe', 'lpe');
    await expectTrace(`in_port=pe,${ip(MAC.e, MAC.a, '10.1.0.15', '10.1.0.11')}`, []);
    await c.call('createlogicalport', {
      id: 'lpe',
      logicalnetwork: 'n1',
      subnet: 's1',
      mac_address: MAC.e,
      ip_address: '10.1.0.15',
    });
    await expectTrace(`in_port=pe,${ip(MAC.e, MAC.a, '10.1.0.15', '10.1.0.11')}`, ['pa']);
    await expectTrace(`in_port=pa,${ip(MAC.a, MAC.e, '10.1.0.11', '10.1.0.15')}`, ['pe']);
  });

  it('a port plugged into a network costs 7 flow-mods on the switch, whatever else is there', async () => {
    const f = '02:00:00:00:01:06';
    await c.call('createlogicalport', {
      id: 'lpf',
      logicalnetwork: 'n1',
      subnet: 's1',
      mac_address: f,
      ip_address: '10.1.0.16',
    });
    // Not plugged in here yet: a remote port, reached over the physical network.
    await expectTrace(`in_port=pa,${ip(MAC.a, f, '10.1.0.11', '10.1.0.16')}`, ['eth1@vlan=100']);
    const dpid = c.sync.status()[0]!.datapathId;
    await c.sync.idle(dpid);
    const before = c.sync.status()[0]!.flowMods;
    await addPort(ovs, 'pf', 'lpf');
    await expectTrace(`in_port=pa,${ip(MAC.a, f, '10.1.0.11', '10.1.0.16')}`, ['pf']);
    await c.sync.idle(dpid);
    // Its ingress flow, 4 port-security flows, its unicast flow (was: to the uplink) and the flood flow.
    expect(c.sync.status()[0]!.flowMods - before).toBe(7);
  });

  it('deleting a logical port removes its flows', async () => {
    await c.call('deletelogicalport', { id: 'lpb' });
    await expectTrace(`in_port=pb,${ip(MAC.b, MAC.a, '10.1.0.12', '10.1.0.11')}`, []);
    // Its MAC is unknown now: frames to it flood the network (without pb).
    await expectTrace(`in_port=pa,${ip(MAC.a, MAC.b, '10.1.0.11', '10.1.0.12')}`, [
      'eth1@vlan=100',
      'pe',
      'pf',
    ]);
    const lines = await l2FlowLines(ovs);
    const pb = (await ovs.vsctl('get', 'interface', 'pb', 'ofport')).trim();
    expect(lines.filter((l) => l.includes(`in_port=${pb}`) || l.includes(`in_port=pb`))).toEqual([]);
    // Every l2 flow carries its network's number in the cookie.
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(/cookie=0x564c4c32000000(01|02)/);
  });
});
