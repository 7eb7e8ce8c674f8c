/**
 * VXLAN logical networks on a dummy OVS, other hosts simulated by what their controllers
 * would share in ObjectDB (`l2.location.<port>`, `l2.vtep.<systemid>`): this host
 * publishes its VTEP (from the vxlan port's local_ip) and its ports' locations; unicast to
 * a remote port is tunnelled to its host's VTEP with the VNI; floods are replicated to
 * every other host of the network; tunnel traffic comes in by VNI and is never sent back
 * into the tunnel. `ofproto/trace` (OpenFlow level: tunnel metadata and output) is the oracle.
 */
import { toKey } from '../../../../src/objectdb';
import { addDummyPort, cleanupAll, type OvsInstance, startOvs } from '../../../harness';
import { addFlowVxlanPort, type L2Controller, startL2Controller, until } from './l2-controller';
import { expectTrace as expectTraceOf, traceTunnels } from './trace';

afterAll(cleanupAll);

const MAC = {
  a: '02:00:00:00:00:0a',
  b: '02:00:00:00:00:0b',
  r: '02:00:00:00:00:0f',
  s: '02:00:00:00:00:1f',
};
const BCAST = 'ff:ff:ff:ff:ff:ff';
const VNI = '0x1388'; // 5000

describe('l2 VXLAN (one OVS, remote hosts simulated in ObjectDB)', () => {
  let ovs: OvsInstance;
  let c: L2Controller;
  const expectTrace = (flow: string, want: string[]) => expectTraceOf(ovs, flow, want, traceTunnels);
  const tun = (ip: string) => `vxlan0@tun_dst=${ip},tun_id=${VNI}`;

  beforeAll(async () => {
    ovs = await startOvs({ dummy: true, systemId: 'host-a' });
    c = await startL2Controller(ovs);
    await ovs.addBridge('br0', { controllerPort: c.ofPort, protocols: 'OpenFlow13' });
    await c.call('createphysicalnetwork', { id: 'px', type: 'vxlan', vnirange: [[5000, 5100]] });
    await c.call('createphysicalport', { physicalnetwork: 'px', name: 'vxlan0' });
    await c.call('createlogicalnetworks', {
      networks: [
        { id: 'nx', physicalnetwork: 'px', vni: 5000 },
        { id: 'ny', physicalnetwork: 'px', vni: 5001 },
      ],
    });
    await c.call('createlogicalports', {
      ports: [
        { id: 'lpa', logicalnetwork: 'nx', mac_address: MAC.a },
        { id: 'lpb', logicalnetwork: 'nx', mac_address: MAC.b },
        { id: 'lpr', logicalnetwork: 'nx', mac_address: MAC.r },
        { id: 'lps', logicalnetwork: 'nx', mac_address: MAC.s },
      ],
    });
    await addFlowVxlanPort(ovs, '10.0.0.1');
    for (const [p, lp] of [
      ['pa', 'lpa'],
      ['pb', 'lpb'],
    ])
      await addDummyPort(ovs, p!, { ifaceId: lp! });
  });

  it('publishes this host VTEP and where its logical ports are', async () => {
    const v = await until(async () => {
      const s = await c.db.get(['l2.vtep.host-a', 'l2.location.lpa', 'l2.location.lpb']);
      return [...s.values.values()].every((x) => x !== null) ? s.values : undefined;
    }, 'published keys');
    expect([...v.values()]).toEqual([
      { systemid: 'host-a', address: '10.0.0.1' },
      { logicalport: 'lpa', systemid: 'host-a' },
      { logicalport: 'lpb', systemid: 'host-a' },
    ]);
  });

  it('before any remote host is known, floods stay local', async () => {
    await expectTrace(`in_port=pa,dl_src=${MAC.a},dl_dst=${BCAST},ip`, ['pb']);
    await expectTrace(`in_port=pa,dl_src=${MAC.a},dl_dst=${MAC.r},ip`, ['pb']);
  });

  it('remote ports: unicast to their VTEP, floods replicated to every other host', async () => {
    await c.db.transact([], () => ({
      'l2.vtep.host-b': { systemid: 'host-b', address: '10.0.0.2' },
      'l2.vtep.host-c': { systemid: 'host-c', address: '10.0.0.3' },
      'l2.location.lpr': { logicalport: 'lpr', systemid: 'host-b' },
      'l2.location.lps': { logicalport: 'lps', systemid: 'host-c' },
    }));
    await expectTrace(`in_port=pa,dl_src=${MAC.a},dl_dst=${MAC.r},ip`, [tun('10.0.0.2')]);
    await expectTrace(`in_port=pa,dl_src=${MAC.a},dl_dst=${MAC.s},ip`, [tun('10.0.0.3')]);
    await expectTrace(`in_port=pa,dl_src=${MAC.a},dl_dst=${MAC.b},ip`, ['pb']);
    await expectTrace(`in_port=pa,dl_src=${MAC.a},dl_dst=${BCAST},ip`, [
      'pb',
      tun('10.0.0.2'),
      tun('10.0.0.3'),
    ]);
  });

  it('from the tunnel: by VNI into the network, never back into the tunnel', async () => {
    const from = (vni: number, dst: string) =>
      `in_port=vxlan0,tun_id=${vni},tun_src=10.0.0.2,tun_dst=10.0.0.1,dl_src=${MAC.r},dl_dst=${dst},ip`;
    await expectTrace(from(5000, MAC.a), ['pa']);
    await expectTrace(from(5000, BCAST), ['pa', 'pb']);
    await expectTrace(from(5001, MAC.a), []);
    await expectTrace(from(4999, BCAST), []);
  });

  it('a port that moves to another host is followed; a host that leaves the network is no longer flooded', async () => {
    await c.db.transact([], () => ({ 'l2.location.lpr': { logicalport: 'lpr', systemid: 'host-c' } }));
    await expectTrace(`in_port=pa,dl_src=${MAC.a},dl_dst=${MAC.r},ip`, [tun('10.0.0.3')]);
    await expectTrace(`in_port=pa,dl_src=${MAC.a},dl_dst=${BCAST},ip`, ['pb', tun('10.0.0.3')]);
  });

  it('deleting a local logical port withdraws its location', async () => {
    await c.call('deletelogicalport', { id: 'lpb' });
    await ovs.vsctl('del-port', 'br0', 'pb');
    await until(
      async () =>
        (await c.db.get(['l2.location.lpb'])).values.get(toKey('l2.location.lpb')) === null || undefined,
      'location withdrawn',
    );
    await expectTrace(`in_port=pa,dl_src=${MAC.a},dl_dst=${BCAST},ip`, [tun('10.0.0.3')]);
  });
});
