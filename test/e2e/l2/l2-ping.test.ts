/**
 * L2 networks with real traffic: a userspace OVS in its own namespace, "VMs" as OVS
 * internal ports moved into namespaces with static addresses (DHCP is another module's),
 * the l2 flows from a controller runtime. Ports of one logical network ping each other;
 * a port of another network with an address in the same subnet does not answer; a port
 * sending with a MAC other than its logical port's is cut off; deleting a logical port
 * cuts its traffic.
 */
import {
  addInternalPort,
  cleanupAll,
  createNetns,
  type Netns,
  type OvsInstance,
  pings,
  reachable,
  startOvs,
  unreachable,
} from '../../harness';
import { type L2Controller, startL2Controller, until } from '../../integration/modules/l2/l2-controller';

afterAll(cleanupAll);

describe('l2 end to end (userspace OVS, namespaces, ping)', () => {
  let ovs: OvsInstance;
  let c: L2Controller;
  const ns: Record<string, Netns> = {};
  /** The interface name of each port inside its namespace. */
  const ifname: Record<string, string> = {};

  beforeAll(async () => {
    ovs = await startOvs({ systemId: 'host-e2e' });
    c = await startL2Controller(ovs);
    await ovs.addBridge('br0', { controllerPort: c.ofPort, protocols: 'OpenFlow13' });
    await c.call('createphysicalnetwork', { id: 'pn', type: 'vlan', vlanrange: [[10, 20]] });
    await c.call('createlogicalnetworks', {
      networks: [
        { id: 'n1', physicalnetwork: 'pn' },
        { id: 'n2', physicalnetwork: 'pn' },
      ],
    });
    // Same address range in both networks: only the l2 isolation keeps them apart.
    await c.call('createsubnets', {
      subnets: [
        { id: 's1', logicalnetwork: 'n1', cidr: '10.1.0.0/24' },
        { id: 's2', logicalnetwork: 'n2', cidr: '10.1.0.0/24' },
      ],
    });
    await c.call('createlogicalports', {
      ports: [
        {
          id: 'a',
          logicalnetwork: 'n1',
          subnet: 's1',
          mac_address: '02:00:00:00:00:0a',
          ip_address: '10.1.0.10',
        },
        {
          id: 'b',
          logicalnetwork: 'n1',
          subnet: 's1',
          mac_address: '02:00:00:00:00:0b',
          ip_address: '10.1.0.11',
        },
        {
          id: 'c',
          logicalnetwork: 'n2',
          subnet: 's2',
          mac_address: '02:00:00:00:00:0c',
          ip_address: '10.1.0.12',
        },
        {
          id: 's',
          logicalnetwork: 'n1',
          subnet: 's1',
          mac_address: '02:00:00:00:00:0d',
          ip_address: '10.1.0.13',
        },
      ],
    });
    const plug = async (id: string, mac: string, address: string) => {
      ns[id] = await createNetns(`l2${id}`);
      ifname[id] = (
        await addInternalPort(ovs, 'br0', ns[id]!, { ifaceId: id, mac, address: `${address}/24` })
      ).ifname;
    };
    await plug('a', '02:00:00:00:00:0a', '10.1.0.10');
    await plug('b', '02:00:00:00:00:0b', '10.1.0.11');
    await plug('c', '02:00:00:00:00:0c', '10.1.0.12');
    // Sends with a MAC its logical port does not have.
    await plug('s', '02:00:00:00:00:99', '10.1.0.13');
  });

  it('ports of one network ping each other', async () => {
    expect(await reachable(ns.a!, '10.1.0.11')).toBe(true);
    expect(await reachable(ns.b!, '10.1.0.10')).toBe(true);
  });

  it('a port of another network does not answer, even with an address in the same subnet', async () => {
    await reachable(ns.a!, '10.1.0.11');
    expect(await unreachable(ns.a!, '10.1.0.12')).toBe(true);
    expect(await unreachable(ns.c!, '10.1.0.10')).toBe(true);
  });

  it('a spoofed source MAC is dropped', async () => {
    await reachable(ns.a!, '10.1.0.11');
    expect(await unreachable(ns.s!, '10.1.0.10')).toBe(true);
    // With its own MAC it works.
    await ns.s!.exec('ip', 'link', 'set', ifname.s!, 'address', '02:00:00:00:00:0d');
    expect(await reachable(ns.s!, '10.1.0.10')).toBe(true);
  });

  it('deleting a logical port cuts its traffic', async () => {
    await reachable(ns.a!, '10.1.0.11');
    await c.call('deletelogicalport', { id: 'b' });
    await until(async () => !(await pings(ns.a!, '10.1.0.11')) || undefined, 'b cut off', 60_000);
    expect(await unreachable(ns.a!, '10.1.0.11')).toBe(true);
    expect(await unreachable(ns.b!, '10.1.0.10')).toBe(true);
  });
});
