/**
 * Routed-only networks: a host whose only ports are in network A routes A -> B itself
 * (distributed routing, the real l3 module), so l2 must deliver B's frames there although B
 * has no port on the host. One dummy OVS ("host-a") with a port of A only; B (VLAN) and X
 * (VXLAN) have their ports on other hosts (X's host simulated by its ObjectDB keys).
 * `ofproto/trace` is the oracle: routed packets leave tagged out the physical port, or into
 * the tunnel to the port's VTEP with X's VNI; B gets no ingress or flood flows here; detaching
 * B's subnet from the router withdraws every B flow and leaves X untouched.
 */
import { DEFAULT_GATEWAY_MAC } from '../../../../src/modules/arp-responder';
import { addDummyPort, cleanupAll, eventually, type OvsInstance, startOvs } from '../../../harness';
import { datapathActions, type L3Controller, startL3Controller } from '../l3/l3-controller';
import { addFlowVxlanPort, l2FlowLines } from './l2-controller';
import { trace, traceTunnels } from './trace';

afterAll(cleanupAll);

const GW = DEFAULT_GATEWAY_MAC;
const MAC = {
  a: '02:00:00:00:01:11',
  b: '02:00:00:00:02:12',
  x: '02:00:00:00:03:13',
};

const routed = (dst: string) =>
  `in_port=pa,dl_src=${MAC.a},dl_dst=${GW},ip,nw_src=10.1.0.11,nw_dst=${dst},nw_proto=6,nw_ttl=64`;

describe('l2 for networks only routed to (host with ports of A only)', () => {
  let ovs: OvsInstance;
  let c: L3Controller;
  let nwid: { a: number; b: number; x: number };

  /** The l2 flows of one network (its cookie), as dump-flows prints them. */
  const flowsOf = async (n: number) => {
    const tag = `cookie=0x564c4c32${n.toString(16).padStart(8, '0')}`;
    return (await l2FlowLines(ovs)).filter((l) => l.includes(tag));
  };
  const B_OUT = new RegExp(`set\\(eth\\(src=${GW},dst=${MAC.b}\\)\\).*push_vlan\\(vid=101[^)]*\\),eth1$`);
  const X_TUN = 'vxlan0@tun_dst=10.0.0.2,tun_id=0x1388';

  beforeAll(async () => {
    ovs = await startOvs({ dummy: true, systemId: 'host-a' });
    c = await startL3Controller(ovs);
    await ovs.addBridge('br0', { controllerPort: c.ofPort, protocols: 'OpenFlow13' });
    await c.call('createphysicalnetwork', { id: 'pv', type: 'vlan', vlanrange: [[100, 200]] });
    await c.call('createphysicalport', { physicalnetwork: 'pv', name: 'eth1' });
    await c.call('createphysicalnetwork', { id: 'px', type: 'vxlan', vnirange: [[5000, 5100]] });
    await c.call('createphysicalport', { physicalnetwork: 'px', name: 'vxlan0' });
    await c.call('createlogicalnetwork', { id: 'na', physicalnetwork: 'pv', vlanid: 100 });
    await c.call('createlogicalnetwork', { id: 'nb', physicalnetwork: 'pv', vlanid: 101 });
    await c.call('createlogicalnetwork', { id: 'nx', physicalnetwork: 'px', vni: 5000 });
    for (const [s, n, net] of [
      ['sa', 'na', '10.1.0'],
      ['sb', 'nb', '10.2.0'],
      ['sx', 'nx', '10.3.0'],
    ] as const)
      await c.call('createsubnet', { id: s, logicalnetwork: n, cidr: `${net}.0/24`, gateway: `${net}.1` });
    await c.call('createlogicalports', {
      ports: [
        { id: 'lpa', logicalnetwork: 'na', subnet: 'sa', mac_address: MAC.a, ip_address: '10.1.0.11' },
        // On other hosts: never plugged in here.
        { id: 'lpb', logicalnetwork: 'nb', subnet: 'sb', mac_address: MAC.b, ip_address: '10.2.0.12' },
        { id: 'lpx', logicalnetwork: 'nx', subnet: 'sx', mac_address: MAC.x, ip_address: '10.3.0.13' },
      ],
    });
    // The controller of host-b would publish these.
    await c.db.transact([], () => ({
      'l2.vtep.host-b': { systemid: 'host-b', address: '10.0.0.2' },
      'l2.location.lpx': { logicalport: 'lpx', systemid: 'host-b' },
    }));
    await addDummyPort(ovs, 'pa', { ifaceId: 'lpa' });
    await ovs.vsctl('add-port', 'br0', 'eth1', '--', 'set', 'interface', 'eth1', 'type=dummy');
    await addFlowVxlanPort(ovs, '10.0.0.1');
    const list = (await c.call('listlogicalnetworks', {})) as { id: string; nwid: number }[];
    const of = (id: string) => list.find((n) => n.id === id)!.nwid;
    nwid = { a: of('na'), b: of('nb'), x: of('nx') };
    await c.call('createvirtualrouter', { id: 'r1' });
    await c.call('addrouterinterface', { router: 'r1', subnet: 'sa' });
  });

  it('a network not linked to a local one gets no flows', async () => {
    await eventually(
      () => flowsOf(nwid.a),
      (l) => l.length > 0,
      'A flows',
    );
    expect(await flowsOf(nwid.b)).toEqual([]);
    expect(await flowsOf(nwid.x)).toEqual([]);
  });

  it('A -> B routed here leaves tagged out the physical port (no B port on this host)', async () => {
    await c.call('addrouterinterface', { router: 'r1', subnet: 'sb' });
    const got = await eventually(
      () => datapathActions(ovs, 'br0', routed('10.2.0.12')),
      (a) => B_OUT.test(a),
      'A -> B routed out eth1',
    );
    expect(got).toMatch(B_OUT);
  });

  it('B gets only its unicast flows to remote ports: no ingress, port security or flood here', async () => {
    const lines = await eventually(
      () => flowsOf(nwid.b),
      (l) => l.length === 1,
      'one B flow',
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/priority=100,metadata=0x[0-9a-f]+,dl_dst=02:00:00:00:02:12 actions=push_vlan/);
    // Frames of B from the physical network are not taken in (no B port to deliver them to).
    expect(
      await trace(ovs, 'br0', `in_port=eth1,dl_vlan=101,dl_src=${MAC.b},dl_dst=ff:ff:ff:ff:ff:ff`),
    ).toEqual([]);
    const status = (await c.runtime.call('l2', 'l2status', {})) as {
      networks: { id: string; local: boolean }[];
    };
    expect(status.networks.find((n) => n.id === 'nb')?.local).toBe(false);
    expect(status.networks.find((n) => n.id === 'na')?.local).toBe(true);
  });

  it('A -> X routed here goes into the tunnel to the port VTEP with the VNI', async () => {
    await c.call('addrouterinterface', { router: 'r1', subnet: 'sx' });
    const got = await eventually(
      () => traceTunnels(ovs, 'br0', routed('10.3.0.13')),
      (t) => t.length === 1 && t[0] === X_TUN,
      'A -> X into the tunnel',
    );
    expect(got).toEqual([X_TUN]);
  });

  it('detaching B withdraws its flows, X stays routed', async () => {
    await c.call('removerouterinterface', { router: 'r1', subnet: 'sb' });
    expect(
      await eventually(
        () => flowsOf(nwid.b),
        (l) => l.length === 0,
        'no B flows',
      ),
    ).toEqual([]);
    // Not forwarded any more: l3 hands it to the controller, which answers net unreachable.
    expect(
      await eventually(
        () => datapathActions(ovs, 'br0', routed('10.2.0.12')),
        (a) => /controller\(reason=1/.test(a),
        'B unrouted',
      ),
    ).toMatch(/^userspace\(.*controller\(reason=1/);
    expect(await traceTunnels(ovs, 'br0', routed('10.3.0.13'))).toEqual([X_TUN]);
  });

  it('A losing its last port here withdraws the routed networks too', async () => {
    await ovs.vsctl('del-port', 'br0', 'pa');
    expect(
      await eventually(
        () => flowsOf(nwid.x),
        (l) => l.length === 0,
        'no X flows',
      ),
    ).toEqual([]);
    expect(await flowsOf(nwid.a)).toEqual([]);
  });
});
