/**
 * Distributed routing across two "hosts": two OVS instances in namespaces of their own joined
 * by a veth underlay, one controller runtime per host sharing one Redis store, networks A and
 * B on VXLAN. A VM of A on host 1 pings a VM of B on host 2 through the router: each
 * direction is routed on the sending host and rides the destination network's VXLAN (the
 * reply arrives with TTL 63: one routing hop, not two). Host 1 has ports of A only and host 2
 * of B only: l2 installs the other network's unicast flows where a router links it to a local
 * one (docs/pipeline.md, "Routed networks"), and withdraws them when the interface goes.
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
import { type L3Controller, startL3Controller, until } from '../../integration/modules/l3/l3-controller';

afterAll(cleanupAll);

const ping = (ns: Netns, address: string, ...args: string[]) =>
  ns.exec('sh', '-c', `ping -n -c 1 -W 1 ${args.join(' ')} ${address} 2>&1 || true`);
const answered = async (ns: Netns, address: string) => / 0% packet loss/.test(await ping(ns, address));

interface Host {
  readonly ns: Netns;
  readonly ovs: OvsInstance;
  readonly ctl: L3Controller;
}

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
  const ctl = await startL3Controller(ovs, { storeUrl });
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

describe('l3 across two hosts (VXLAN, one Redis, ping)', () => {
  let h1: Host;
  let h2: Host;
  const vm: Record<string, Netns> = {};

  beforeAll(async () => {
    const redis = await startRedis();
    const [v1, v2] = [`l3v1${process.pid % 10000}`, `l3v2${process.pid % 10000}`];
    await run('ip', ['link', 'add', v1, 'type', 'veth', 'peer', 'name', v2]);
    h1 = await startHost('l3host1', '172.31.19.1', redis.url, v1);
    h2 = await startHost('l3host2', '172.31.19.2', redis.url, v2);
    await until(() => answered(h1.ns, '172.31.19.2'), 'underlay 1 -> 2');
    await until(() => answered(h2.ns, '172.31.19.1'), 'underlay 2 -> 1');

    const c = h1.ctl;
    await c.call('createphysicalnetwork', { id: 'px', type: 'vxlan', vnirange: [[7000, 7100]] });
    await c.call('createphysicalport', { physicalnetwork: 'px', name: 'vxlan0' });
    await c.call('createlogicalnetworks', {
      networks: [
        { id: 'na', physicalnetwork: 'px' },
        { id: 'nb', physicalnetwork: 'px' },
      ],
    });
    await c.call('createsubnets', {
      subnets: [
        { id: 'sa', logicalnetwork: 'na', cidr: '10.11.0.0/24', gateway: '10.11.0.1' },
        { id: 'sb', logicalnetwork: 'nb', cidr: '10.12.0.0/24', gateway: '10.12.0.1' },
      ],
    });
    const ports = [
      {
        host: h1,
        id: 'a1',
        logicalnetwork: 'na',
        subnet: 'sa',
        mac_address: '02:00:00:11:00:01',
        ip_address: '10.11.0.11',
      },
      {
        host: h2,
        id: 'b1',
        logicalnetwork: 'nb',
        subnet: 'sb',
        mac_address: '02:00:00:12:00:01',
        ip_address: '10.12.0.11',
      },
    ];
    await c.call('createlogicalports', { ports: ports.map(({ host: _h, ...p }) => p) });
    for (const p of ports) {
      vm[p.id] = await createNetns(`l3vm${p.id}`);
      await addInternalPort(p.host.ovs, 'br-int', vm[p.id]!, {
        ifaceId: p.id,
        mac: p.mac_address,
        address: `${p.ip_address}/24`,
      });
      await vm[p.id]!.exec(
        'ip',
        'route',
        'add',
        'default',
        'via',
        p.subnet === 'sa' ? '10.11.0.1' : '10.12.0.1',
      );
    }
    await c.call('createvirtualrouter', { id: 'r1' });
    await c.call('addrouterinterfaces', {
      interfaces: [
        { router: 'r1', subnet: 'sa' },
        { router: 'r1', subnet: 'sb' },
      ],
    });
  });

  it('a VM of A on host 1 and a VM of B on host 2 ping each other, routed once, on the sender’s host', async () => {
    expect(await until(() => answered(vm.a1!, '10.12.0.11'), 'a1 -> b1', 60_000)).toBe(true);
    expect(await until(() => answered(vm.b1!, '10.11.0.11'), 'b1 -> a1', 60_000)).toBe(true);
    expect(await ping(vm.a1!, '10.12.0.11')).toMatch(/ttl=63/);
    expect(await ping(vm.b1!, '10.11.0.11')).toMatch(/ttl=63/);
  });

  const status = async (h: Host) =>
    (
      (await h.ctl.runtime.call('l2', 'l2status', {})) as {
        networks: { id: string; local: boolean }[];
      }
    ).networks
      .map((n) => `${n.id}:${n.local ? 'local' : 'routed'}`)
      .sort();

  it('each host has ports of one network and the other only routed to (l2status)', async () => {
    expect(await status(h1)).toEqual(['na:local', 'nb:routed']);
    expect(await status(h2)).toEqual(['na:routed', 'nb:local']);
  });

  it('each host answers for the gateway locally', async () => {
    expect(await until(() => answered(vm.a1!, '10.11.0.1'), 'a1 -> its gateway')).toBe(true);
    expect(await until(() => answered(vm.b1!, '10.12.0.1'), 'b1 -> its gateway')).toBe(true);
  });

  it('removing an interface cuts routing on both hosts', async () => {
    await h2.ctl.call('removerouterinterface', { router: 'r1', subnet: 'sb' });
    await until(async () => !(await answered(vm.a1!, '10.12.0.11')), 'a1 -> b1 cut');
    await until(async () => !(await answered(vm.b1!, '10.11.0.11')), 'b1 -> a1 cut');
    for (let i = 0; i < 2; i++) {
      expect(await answered(vm.a1!, '10.12.0.11')).toBe(false);
      expect(await answered(vm.b1!, '10.11.0.11')).toBe(false);
    }
    // The networks no longer routed to are dropped from each host's l2.
    expect(await status(h1)).toEqual(['na:local']);
    expect(await status(h2)).toEqual(['nb:local']);
  });
});
