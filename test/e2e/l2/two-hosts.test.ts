/**
 * VXLAN and VLAN across two "hosts": two OVS instances, each in a namespace of its own,
 * joined by a veth underlay (REAL-COMPONENTS.md) and a veth VLAN trunk between their
 * integration bridges; one controller runtime per host sharing one Redis store. Each host
 * learns the other's VTEP and port locations through the store only. "VMs" on different
 * hosts in the same logical network ping each other; a VM of another logical network does
 * not answer.
 */
import {
  addInternalPort,
  cleanupAll,
  createNetns,
  type Netns,
  type OvsHost,
  startRedis,
  startTwoHosts,
} from '../../harness';
import { type L2Controller, startL2Controller, until } from '../../integration/modules/l2/l2-controller';

afterAll(cleanupAll);

async function pings(ns: Netns, address: string): Promise<boolean> {
  try {
    await ns.exec('ping', '-c', '1', '-W', '1', address);
    return true;
  } catch {
    return false;
  }
}

type Host = OvsHost<L2Controller>;

describe('l2 between two hosts: VXLAN and VLAN (two OVS, one Redis, ping)', () => {
  let a: Host;
  let b: Host;
  const vm: Record<string, Netns> = {};

  beforeAll(async () => {
    const redis = await startRedis();
    // The underlay (VXLAN) and a VLAN trunk between the two br-int; underlay warmed both ways.
    [a, b] = await startTwoHosts({
      systemIds: ['l2hosta', 'l2hostb'],
      underlay: ['172.31.9.1', '172.31.9.2'],
      trunk: true,
      startController: (ovs) => startL2Controller(ovs, { storeUrl: redis.url }),
    });

    await a.ctl.call('createphysicalnetwork', { id: 'px', type: 'vxlan', vnirange: [[7000, 7100]] });
    await a.ctl.call('createphysicalport', { physicalnetwork: 'px', name: 'vxlan0' });
    // VLAN: the trunk has another name on each host, so each host gets its own physical port.
    await a.ctl.call('createphysicalnetwork', { id: 'pv', type: 'vlan', vlanrange: [[300, 310]] });
    await a.ctl.call('createphysicalports', {
      ports: [
        { physicalnetwork: 'pv', name: a.trunk!, systemid: a.systemId },
        { physicalnetwork: 'pv', name: b.trunk!, systemid: b.systemId },
      ],
    });
    await a.ctl.call('createlogicalnetworks', {
      networks: [
        { id: 'n1', physicalnetwork: 'px' },
        { id: 'n2', physicalnetwork: 'px' },
        { id: 'n3', physicalnetwork: 'pv' },
      ],
    });
    await a.ctl.call('createsubnets', {
      subnets: [
        { id: 's1', logicalnetwork: 'n1', cidr: '10.5.0.0/24' },
        { id: 's2', logicalnetwork: 'n2', cidr: '10.5.0.0/24' },
        { id: 's3', logicalnetwork: 'n3', cidr: '10.6.0.0/24' },
      ],
    });
    await a.ctl.call('createlogicalports', {
      ports: [
        {
          id: 'x1',
          logicalnetwork: 'n1',
          subnet: 's1',
          mac_address: '02:00:00:05:00:01',
          ip_address: '10.5.0.1',
        },
        {
          id: 'y1',
          logicalnetwork: 'n1',
          subnet: 's1',
          mac_address: '02:00:00:05:00:02',
          ip_address: '10.5.0.2',
        },
        {
          id: 'y2',
          logicalnetwork: 'n2',
          subnet: 's2',
          mac_address: '02:00:00:05:00:03',
          ip_address: '10.5.0.3',
        },
        {
          id: 'v1',
          logicalnetwork: 'n3',
          subnet: 's3',
          mac_address: '02:00:00:06:00:01',
          ip_address: '10.6.0.1',
        },
        {
          id: 'v2',
          logicalnetwork: 'n3',
          subnet: 's3',
          mac_address: '02:00:00:06:00:02',
          ip_address: '10.6.0.2',
        },
      ],
    });
    const plug = async (host: Host, id: string, mac: string, address: string) => {
      vm[id] = await createNetns(`l2vm${id}`);
      await addInternalPort(host.ovs, 'br-int', vm[id]!, { ifaceId: id, mac, address: `${address}/24` });
    };
    await plug(a, 'x1', '02:00:00:05:00:01', '10.5.0.1');
    await plug(b, 'y1', '02:00:00:05:00:02', '10.5.0.2');
    await plug(b, 'y2', '02:00:00:05:00:03', '10.5.0.3');
    await plug(a, 'v1', '02:00:00:06:00:01', '10.6.0.1');
    await plug(b, 'v2', '02:00:00:06:00:02', '10.6.0.2');
  });

  it('VMs of one logical network on different hosts ping each other', async () => {
    expect(await until(() => pings(vm.x1!, '10.5.0.2'), 'x1 -> y1', 60_000)).toBe(true);
    expect(await until(() => pings(vm.y1!, '10.5.0.1'), 'y1 -> x1', 60_000)).toBe(true);
  });

  it('a VM of another logical network on the other host does not answer', async () => {
    await until(() => pings(vm.x1!, '10.5.0.2'), 'x1 -> y1', 60_000);
    for (let i = 0; i < 3; i++) expect(await pings(vm.x1!, '10.5.0.3')).toBe(false);
  });

  it('VLAN: VMs of one logical network on different hosts ping each other over the trunk', async () => {
    expect(await until(() => pings(vm.v1!, '10.6.0.2'), 'v1 -> v2', 60_000)).toBe(true);
    expect(await until(() => pings(vm.v2!, '10.6.0.1'), 'v2 -> v1', 60_000)).toBe(true);
  });
});
