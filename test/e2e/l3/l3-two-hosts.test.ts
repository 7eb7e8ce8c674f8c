/**
 * Distributed routing across two "hosts": two OVS instances in namespaces of their own joined
 * by a veth underlay, one controller runtime per host (with the DHCP server) sharing one Redis
 * store, networks A and B on VXLAN. The VMs of A on host 1 and of B on host 2 get their
 * address and default route from the DHCP server; with only A attached to the router B is
 * out of reach; once B joins (through host 2's controller) a VM of A pings a VM of B through
 * the router, and `ping -t 1` gets time-exceeded from the sender's gateway: each direction is routed on the sending host and rides the destination network's
 * VXLAN (the reply arrives with TTL 63: one routing hop, not two). Host 1 has ports of A only
 * and host 2 of B only: l2 installs the other network's unicast flows where a router links it
 * to a local one (docs/pipeline.md, "Routed networks"), and withdraws them when the interface
 * goes. A "router VM" of B on host 2 (configured by hand) holds 192.168.60.1 behind it: a
 * static route of the router sends host 1's traffic for 192.168.60.0/24 to it, and its allowed
 * address pair lets its replies through port security on host 2: a round trip.
 */
import { dhcpServerModule } from '../../../src/modules/dhcp-server';
import {
  addInternalPort,
  cleanupAll,
  createNetns,
  icmpInEchos,
  type Netns,
  type OvsHost,
  pingOutput,
  pings,
  startDhclient,
  startRedis,
  startTwoHosts,
  unreachable,
} from '../../harness';
import { type L3Controller, startL3Controller, until } from '../../integration/modules/l3/l3-controller';

afterAll(cleanupAll);

type Host = OvsHost<L3Controller>;

describe('l3 across two hosts (VXLAN, one Redis, ping)', () => {
  let h1: Host;
  let h2: Host;
  const vm: Record<string, Netns> = {};

  beforeAll(async () => {
    const redis = await startRedis();
    [h1, h2] = await startTwoHosts({
      systemIds: ['l3host1', 'l3host2'],
      underlay: ['172.31.19.1', '172.31.19.2'],
      startController: (ovs) =>
        startL3Controller(ovs, { storeUrl: redis.url, extraModules: [dhcpServerModule] }),
    });

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
    const gateway = { sa: '10.11.0.1', sb: '10.12.0.1' } as const;
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
      // A "router VM" on host 2: holds 192.168.60.1 behind it (on its loopback); its allowed
      // address pair lets it send from that network (docs/l3.md).
      {
        host: h2,
        id: 'r',
        logicalnetwork: 'nb',
        subnet: 'sb',
        mac_address: '02:00:00:12:00:05',
        ip_address: '10.12.0.5',
        allowed_address_pairs: [{ ip_address: '192.168.60.0/24' }],
      },
    ] as const;
    await c.call('createlogicalports', { ports: ports.map(({ host: _h, ...p }) => p) });
    for (const p of ports) {
      vm[p.id] = await createNetns(`l3vm${p.id}`);
      if (p.id === 'r') {
        await addInternalPort(p.host.ovs, 'br-int', vm.r!, {
          ifaceId: p.id,
          mac: p.mac_address,
          address: `${p.ip_address}/24`,
        });
        await vm.r!.exec('ip', 'route', 'add', 'default', 'via', gateway[p.subnet]);
        await vm.r!.exec('ip', 'addr', 'add', '192.168.60.1/32', 'dev', 'lo');
        continue;
      }
      const port = await addInternalPort(p.host.ovs, 'br-int', vm[p.id]!, {
        ifaceId: p.id,
        mac: p.mac_address,
      });
      // Answered by the DHCP server of the port's own host.
      await startDhclient(vm[p.id]!, port.ifname).bound();
      // The address and the default route via the gateway came from the DHCP server.
      expect(await vm[p.id]!.exec('ip', '-4', 'addr', 'show', 'dev', port.ifname)).toContain(
        `${p.ip_address}/24`,
      );
      expect(await vm[p.id]!.exec('ip', 'route', 'show', 'default')).toContain(`via ${gateway[p.subnet]}`);
    }
    await c.call('createvirtualrouter', { id: 'r1' });
    await c.call('addrouterinterface', { router: 'r1', subnet: 'sa' });
  });

  it('with only A attached, its gateway answers but B is out of reach', async () => {
    expect(await until(() => pings(vm.a1!, '10.11.0.1'), 'a1 -> its gateway', 60_000)).toBe(true);
    expect(await unreachable(vm.a1!, '10.12.0.11')).toBe(true);
    expect(await unreachable(vm.b1!, '10.11.0.11')).toBe(true);
  });

  it('a VM of A on host 1 and a VM of B on host 2 ping each other, routed once, on the sender’s host', async () => {
    // B joins through the other host's controller.
    await h2.ctl.call('addrouterinterface', { router: 'r1', subnet: 'sb' });
    expect(await until(() => pings(vm.a1!, '10.12.0.11'), 'a1 -> b1', 60_000)).toBe(true);
    expect(await until(() => pings(vm.b1!, '10.11.0.11'), 'b1 -> a1', 60_000)).toBe(true);
    expect(await pingOutput(vm.a1!, '10.12.0.11')).toMatch(/ttl=63/);
    expect(await pingOutput(vm.b1!, '10.11.0.11')).toMatch(/ttl=63/);
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
    expect(await until(() => pings(vm.a1!, '10.11.0.1'), 'a1 -> its gateway')).toBe(true);
    expect(await until(() => pings(vm.b1!, '10.12.0.1'), 'b1 -> its gateway')).toBe(true);
  });

  it('ping -t 1 across hosts gets time-exceeded from the sender’s own gateway', async () => {
    for (const [from, to, gw] of [
      [vm.a1!, '10.12.0.11', /From 10\.11\.0\.1 .*Time to live exceeded/],
      [vm.b1!, '10.11.0.11', /From 10\.12\.0\.1 .*Time to live exceeded/],
    ] as const) {
      const out = await until(async () => {
        const o = await pingOutput(from, to, '-t', '1');
        return /Time to live exceeded/.test(o) ? o : undefined;
      }, `time-exceeded for ${to}`);
      expect(out).toMatch(gw);
    }
  });

  it('a static route on host 1 reaches the router VM on host 2, and its replies come back', async () => {
    // No route yet: nothing for 192.168.60.0/24 leaves the router.
    expect(await unreachable(vm.a1!, '192.168.60.1')).toBe(true);
    await h1.ctl.call('updatevirtualrouter', { id: 'r1', routes: [['192.168.60.0/24', '10.12.0.5']] });
    // a1 → routed on host 1 to r → VXLAN in B's VNI → r; r's reply from 192.168.60.1 passes
    // port security on host 2 by its pair, is routed there to a1 and crosses in A's VNI.
    expect(await until(() => pings(vm.a1!, '192.168.60.1'), 'a1 -> 192.168.60.1', 60_000)).toBe(true);
    expect(await pingOutput(vm.a1!, '192.168.60.1')).toMatch(/from 192\.168\.60\.1: .*ttl=63/);
  });

  it('without the pair (cleared through host 1) r still gets the requests but its replies drop on host 2', async () => {
    await h1.ctl.call('updatelogicalport', { id: 'r', allowed_address_pairs: null });
    await until(async () => !(await pings(vm.a1!, '192.168.60.1')), 'replies dropped');
    const before = await icmpInEchos(vm.r!);
    expect(await unreachable(vm.a1!, '192.168.60.1')).toBe(true);
    // r's kernel got (and answered) the requests: the drop is r's replies, in port security.
    expect(await icmpInEchos(vm.r!)).toBeGreaterThanOrEqual(before + 3);
    await h1.ctl.call('updatelogicalport', {
      id: 'r',
      allowed_address_pairs: [{ ip_address: '192.168.60.0/24' }],
    });
    expect(await until(() => pings(vm.a1!, '192.168.60.1'), 'pair restored', 60_000)).toBe(true);
  });

  it('without the route (withdrawn through host 2) the requests no longer reach r', async () => {
    await h2.ctl.call('updatevirtualrouter', { id: 'r1', routes: [] });
    await until(async () => !(await pings(vm.a1!, '192.168.60.1')), 'route withdrawn');
    const before = await icmpInEchos(vm.r!);
    expect(await unreachable(vm.a1!, '192.168.60.1')).toBe(true);
    expect(await icmpInEchos(vm.r!)).toBe(before);
  });

  it('removing an interface cuts routing on both hosts', async () => {
    await h2.ctl.call('removerouterinterface', { router: 'r1', subnet: 'sb' });
    await until(async () => !(await pings(vm.a1!, '10.12.0.11')), 'a1 -> b1 cut');
    await until(async () => !(await pings(vm.b1!, '10.11.0.11')), 'b1 -> a1 cut');
    for (let i = 0; i < 2; i++) {
      expect(await pings(vm.a1!, '10.12.0.11')).toBe(false);
      expect(await pings(vm.b1!, '10.11.0.11')).toBe(false);
    }
    // The networks no longer routed to are dropped from each host's l2.
    expect(await status(h1)).toEqual(['na:local']);
    expect(await status(h2)).toEqual(['nb:local']);
  });
});
