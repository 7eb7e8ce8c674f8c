/**
 * VXLAN across two "hosts": two OVS instances, each in a namespace of its own, joined by a
 * veth underlay (REAL-COMPONENTS.md); one controller runtime per host sharing one Redis
 * store. Each host learns the other's VTEP and port locations through the store only.
 * "VMs" on different hosts in the same logical network ping each other; a VM of another
 * logical network does not answer.
 */
import { join } from 'node:path';
import {
  addInternalPort,
  cleanupAll,
  createNetns,
  type Netns,
  type OvsInstance,
  registerCleanup,
  run,
  startOvs,
  startRedis,
} from '../../harness';
import { startControllerRelay } from '../../harness/controller-relay';
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

interface Host {
  readonly ns: Netns;
  readonly ovs: OvsInstance;
  readonly ctl: L2Controller;
}

/** A host: its namespace, OVS, br-phy with the underlay address, br-int with a vxlan port, its controller. */
async function startHost(name: string, underlay: string, storeUrl: string, veth: string): Promise<Host> {
  const ns = await createNetns(name);
  await run('ip', ['link', 'set', veth, 'netns', ns.name]);
  const ovs = await startOvs({ netns: ns.name, systemId: name });
  await ovs.addBridge('br-phy', { failMode: 'standalone' });
  await ovs.vsctl('add-port', 'br-phy', veth);
  await ns.exec('ip', 'link', 'set', veth, 'up');
  await ns.exec('ip', 'link', 'set', 'lo', 'up');
  await ns.exec('ip', 'addr', 'add', `${underlay}/24`, 'dev', 'br-phy');
  await ns.exec('ip', 'link', 'set', 'br-phy', 'up');
  const ctl = await startL2Controller(ovs, { storeUrl });
  // The switch lives in the host namespace; the controller in the test process: a relay.
  const relay = await startControllerRelay(join(ovs.dir, 'br-int.ctl-relay'), ctl.ofPort);
  registerCleanup({
    what: `controller relay of ${name}`,
    run: () => relay.close(),
    runSync: () => undefined,
  });
  await ovs.addBridge('br-int', { controller: `unix:${relay.path}`, protocols: 'OpenFlow13' });
  await ovs.vsctl(
    'add-port',
    'br-int',
    'vxlan0',
    '--',
    'set',
    'interface',
    'vxlan0',
    'type=vxlan',
    'options:remote_ip=flow',
    'options:key=flow',
    `options:local_ip=${underlay}`,
  );
  return { ns, ovs, ctl };
}

describe('l2 VXLAN between two hosts (two OVS, one Redis, ping)', () => {
  let a: Host;
  let b: Host;
  const vm: Record<string, Netns> = {};

  beforeAll(async () => {
    const redis = await startRedis();
    const [va, vb] = [`l2va${process.pid % 10000}`, `l2vb${process.pid % 10000}`];
    await run('ip', ['link', 'add', va, 'type', 'veth', 'peer', 'name', vb]);
    a = await startHost('l2hosta', '172.31.9.1', redis.url, va);
    b = await startHost('l2hostb', '172.31.9.2', redis.url, vb);
    // Warm the underlay neighbours (OVS's tunnel ARP cache) both ways.
    await until(() => pings(a.ns, '172.31.9.2'), 'underlay a -> b');
    await until(() => pings(b.ns, '172.31.9.1'), 'underlay b -> a');

    await a.ctl.call('createphysicalnetwork', { id: 'px', type: 'vxlan', vnirange: [[7000, 7100]] });
    await a.ctl.call('createphysicalport', { physicalnetwork: 'px', name: 'vxlan0' });
    await a.ctl.call('createlogicalnetworks', {
      networks: [
        { id: 'n1', physicalnetwork: 'px' },
        { id: 'n2', physicalnetwork: 'px' },
      ],
    });
    await a.ctl.call('createsubnets', {
      subnets: [
        { id: 's1', logicalnetwork: 'n1', cidr: '10.5.0.0/24' },
        { id: 's2', logicalnetwork: 'n2', cidr: '10.5.0.0/24' },
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
      ],
    });
    const plug = async (host: Host, id: string, mac: string, address: string) => {
      vm[id] = await createNetns(`l2vm${id}`);
      await addInternalPort(host.ovs, 'br-int', vm[id]!, { ifaceId: id, mac, address: `${address}/24` });
    };
    await plug(a, 'x1', '02:00:00:05:00:01', '10.5.0.1');
    await plug(b, 'y1', '02:00:00:05:00:02', '10.5.0.2');
    await plug(b, 'y2', '02:00:00:05:00:03', '10.5.0.3');
  });

  it('VMs of one logical network on different hosts ping each other', async () => {
    expect(await until(() => pings(vm.x1!, '10.5.0.2'), 'x1 -> y1', 60_000)).toBe(true);
    expect(await until(() => pings(vm.y1!, '10.5.0.1'), 'y1 -> x1', 60_000)).toBe(true);
  });

  it('a VM of another logical network on the other host does not answer', async () => {
    await until(() => pings(vm.x1!, '10.5.0.2'), 'x1 -> y1', 60_000);
    for (let i = 0; i < 3; i++) expect(await pings(vm.x1!, '10.5.0.3')).toBe(false);
  });
});
