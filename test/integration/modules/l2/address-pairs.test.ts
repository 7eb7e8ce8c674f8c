/**
 * Allowed address pairs against a private dummy OVS, with `ofproto/trace` as the oracle: a
 * router port may send from the network behind it only once its pair is set (updated live
 * through viperflow) and not after it is cleared; ARP from the pair's prefix; a pair with
 * its own (VRRP) MAC is a source and a unicast destination; adding a pair costs only its
 * two port-security flow-mods.
 */
import { addDummyPort, cleanupAll, type OvsInstance, startOvs } from '../../../harness';
import { type L2Controller, l2FlowLines, startL2Controller, until } from './l2-controller';
import { trace } from './trace';

afterAll(cleanupAll);

const MAC = {
  a: '02:00:00:00:01:01',
  r: '02:00:00:00:01:05',
  v: '02:00:00:00:01:07',
  vrrp: '00:00:5e:00:01:07',
  spoof: '02:00:00:00:09:09',
};

const ip = (src: string, dst: string, nwSrc: string, nwDst: string) =>
  `dl_src=${src},dl_dst=${dst},ip,nw_src=${nwSrc},nw_dst=${nwDst},nw_proto=1`;
const arp = (sha: string, spa: string, tpa: string) =>
  `dl_src=${sha},dl_dst=ff:ff:ff:ff:ff:ff,arp,arp_op=1,arp_sha=${sha},arp_spa=${spa},arp_tpa=${tpa}`;

describe('allowed address pairs on a dummy OVS', () => {
  let ovs: OvsInstance;
  let c: L2Controller;
  const expectTrace = async (flow: string, want: string[]) => {
    let last: string[] = [];
    await until(
      async () => {
        last = await trace(ovs, 'br0', flow);
        return JSON.stringify(last) === JSON.stringify([...want].sort()) || undefined;
      },
      `trace ${flow} -> ${want.join(',')}`,
      10_000,
    ).catch(() => undefined);
    expect(last).toEqual([...want].sort());
  };
  beforeAll(async () => {
    ovs = await startOvs({ dummy: true, systemId: 'host-a' });
    c = await startL2Controller(ovs);
    await ovs.addBridge('br0', { controllerPort: c.ofPort, protocols: 'OpenFlow13' });
    await c.call('createphysicalnetwork', { id: 'pv', type: 'vlan', vlanrange: [[100, 200]] });
    await c.call('createphysicalport', { physicalnetwork: 'pv', name: 'eth1' });
    await c.call('createlogicalnetwork', { id: 'n1', physicalnetwork: 'pv', vlanid: 100 });
    await c.call('createsubnet', { id: 's1', logicalnetwork: 'n1', cidr: '10.2.0.0/24' });
    await c.call('createlogicalports', {
      ports: [
        { id: 'lpa', logicalnetwork: 'n1', subnet: 's1', mac_address: MAC.a, ip_address: '10.2.0.11' },
        // The router VM: no pairs yet.
        { id: 'lpr', logicalnetwork: 'n1', subnet: 's1', mac_address: MAC.r, ip_address: '10.2.0.5' },
        { id: 'lpv', logicalnetwork: 'n1', subnet: 's1', mac_address: MAC.v, ip_address: '10.2.0.7' },
      ],
    });
    await addDummyPort(ovs, 'pa', { ifaceId: 'lpa' });
    await addDummyPort(ovs, 'pr', { ifaceId: 'lpr' });
    await addDummyPort(ovs, 'pv', { ifaceId: 'lpv' });
    await addDummyPort(ovs, 'eth1');
  });

  it('without a pair, the router port cannot send from the network behind it', async () => {
    await expectTrace(`in_port=pr,${ip(MAC.r, MAC.a, '10.2.0.5', '10.2.0.11')}`, ['pa']);
    await expectTrace(`in_port=pr,${ip(MAC.r, MAC.a, '192.168.50.1', '10.2.0.11')}`, []);
  });

  it('with the pair set (live), it sends from that prefix and nothing wider; adding it costs 2 flow-mods', async () => {
    const dpid = c.sync.status()[0]!.datapathId;
    await c.sync.idle(dpid);
    const before = c.sync.status()[0]!.flowMods;
    await c.call('updatelogicalport', {
      id: 'lpr',
      allowed_address_pairs: [{ ip_address: '192.168.50.0/24' }],
    });
    await expectTrace(`in_port=pr,${ip(MAC.r, MAC.a, '192.168.50.1', '10.2.0.11')}`, ['pa']);
    await c.sync.idle(dpid);
    // The two port-security flows (IPv4, ARP) of the pair; every other flow of the port is the same.
    expect(c.sync.status()[0]!.flowMods - before).toBe(2);
    await expectTrace(`in_port=pr,${ip(MAC.r, MAC.a, '192.168.50.254', '10.2.0.11')}`, ['pa']);
    await expectTrace(`in_port=pr,${ip(MAC.r, MAC.a, '192.168.51.1', '10.2.0.11')}`, []);
    await expectTrace(`in_port=pr,${ip(MAC.spoof, MAC.a, '192.168.50.1', '10.2.0.11')}`, []);
    // Another port is not exempted.
    await expectTrace(`in_port=pa,${ip(MAC.a, MAC.r, '192.168.50.1', '10.2.0.5')}`, []);
    await expectTrace(`in_port=pr,${arp(MAC.r, '192.168.50.9', '10.2.0.11')}`, ['eth1@vlan=100', 'pa', 'pv']);
    await expectTrace(`in_port=pr,${arp(MAC.r, '192.168.49.9', '10.2.0.11')}`, []);
    const lines = await l2FlowLines(ovs);
    expect(lines.filter((l) => l.includes('nw_src=192.168.50.0/24'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('arp_spa=192.168.50.0/24'))).toHaveLength(1);
  });

  it('clearing the pairs cuts it off again', async () => {
    await c.call('updatelogicalport', { id: 'lpr', allowed_address_pairs: [] });
    await expectTrace(`in_port=pr,${ip(MAC.r, MAC.a, '192.168.50.1', '10.2.0.11')}`, []);
    await expectTrace(`in_port=pr,${ip(MAC.r, MAC.a, '10.2.0.5', '10.2.0.11')}`, ['pa']);
    expect((await l2FlowLines(ovs)).filter((l) => l.includes('192.168.50.0/24'))).toEqual([]);
  });

  it('a pair with its own MAC (VRRP): a source with that MAC and address, and a unicast destination', async () => {
    await expectTrace(`in_port=pa,${ip(MAC.a, MAC.vrrp, '10.2.0.11', '10.2.0.100')}`, [
      'eth1@vlan=100',
      'pr',
      'pv',
    ]);
    await c.call('updatelogicalport', {
      id: 'lpv',
      allowed_address_pairs: [{ ip_address: '10.2.0.100', mac_address: MAC.vrrp.toUpperCase() }],
    });
    await expectTrace(`in_port=pa,${ip(MAC.a, MAC.vrrp, '10.2.0.11', '10.2.0.100')}`, ['pv']);
    await expectTrace(`in_port=pv,${ip(MAC.vrrp, MAC.a, '10.2.0.100', '10.2.0.11')}`, ['pa']);
    await expectTrace(`in_port=pv,${arp(MAC.vrrp, '10.2.0.100', '10.2.0.11')}`, [
      'eth1@vlan=100',
      'pa',
      'pr',
    ]);
    await expectTrace(`in_port=pv,${ip(MAC.vrrp, MAC.a, '10.2.0.7', '10.2.0.11')}`, []);
    await expectTrace(`in_port=pv,${ip(MAC.v, MAC.a, '10.2.0.100', '10.2.0.11')}`, []);
    // The port's own traffic is unchanged.
    await expectTrace(`in_port=pv,${ip(MAC.v, MAC.a, '10.2.0.7', '10.2.0.11')}`, ['pa']);
  });
});
