/**
 * Routing with real traffic: a userspace OVS in its own namespace, "VMs" as OVS internal
 * ports in namespaces whose address and default route come from the DHCP server (the
 * "router VM" is configured by hand: it also holds a network behind it), and a controller
 * runtime with l2, arpresponder, dhcpserver and l3. Ports of networks A and B ping each
 * other only while both subnets are attached to one router (the reply arrives with TTL − 1);
 * the gateways answer ping; `ping -t 1` gets time-exceeded from the gateway; a static route
 * through the router VM (whose allowed address pairs let its replies out) is a real round
 * trip, cut by withdrawing either the route or the pair; removing an interface cuts it again.
 */

import { dhcpServerModule } from '../../../src/modules/dhcp-server';
import {
  addInternalPort,
  cleanupAll,
  createNetns,
  icmpInEchos,
  type Netns,
  type OvsInstance,
  pingOutput,
  pings,
  reachable,
  startDhclient,
  startOvs,
  unreachable,
} from '../../harness';
import { type L3Controller, startL3Controller, until } from '../../integration/modules/l3/l3-controller';

afterAll(cleanupAll);

describe('l3 end to end (userspace OVS, namespaces, ping across networks)', () => {
  let ovs: OvsInstance;
  let c: L3Controller;
  const ns: Record<string, Netns> = {};

  beforeAll(async () => {
    ovs = await startOvs({ systemId: 'host-l3-e2e' });
    c = await startL3Controller(ovs, { extraModules: [dhcpServerModule] });
    await ovs.addBridge('br0', { controllerPort: c.ofPort, protocols: 'OpenFlow13' });
    await c.call('createphysicalnetwork', { id: 'pn', type: 'vlan', vlanrange: [[10, 20]] });
    await c.call('createlogicalnetworks', {
      networks: [
        { id: 'na', physicalnetwork: 'pn' },
        { id: 'nb', physicalnetwork: 'pn' },
      ],
    });
    await c.call('createsubnets', {
      subnets: [
        { id: 'sa', logicalnetwork: 'na', cidr: '10.1.0.0/24', gateway: '10.1.0.1' },
        { id: 'sb', logicalnetwork: 'nb', cidr: '10.2.0.0/24', gateway: '10.2.0.1' },
      ],
    });
    const ports = [
      {
        id: 'a',
        logicalnetwork: 'na',
        subnet: 'sa',
        mac_address: '02:00:00:00:01:0a',
        ip_address: '10.1.0.10',
      },
      {
        id: 'b',
        logicalnetwork: 'nb',
        subnet: 'sb',
        mac_address: '02:00:00:00:02:0b',
        ip_address: '10.2.0.11',
      },
      // A "router VM": holds 192.168.50.1 behind it (on its loopback); its allowed address
      // pair lets it send from that network (docs/l3.md, "A logical port as a router").
      {
        id: 'r',
        logicalnetwork: 'nb',
        subnet: 'sb',
        mac_address: '02:00:00:00:02:05',
        ip_address: '10.2.0.5',
        allowed_address_pairs: [{ ip_address: '192.168.50.0/24' }],
      },
    ];
    await c.call('createlogicalports', { ports });
    for (const p of ports) {
      ns[p.id] = await createNetns(`l3${p.id}`);
      const gw = p.subnet === 'sa' ? '10.1.0.1' : '10.2.0.1';
      if (p.id === 'r') {
        await addInternalPort(ovs, 'br0', ns[p.id]!, {
          ifaceId: p.id,
          mac: p.mac_address,
          address: `${p.ip_address}/24`,
        });
        await ns[p.id]!.exec('ip', 'route', 'add', 'default', 'via', gw);
        continue;
      }
      const port = await addInternalPort(ovs, 'br0', ns[p.id]!, { ifaceId: p.id, mac: p.mac_address });
      const dhcp = startDhclient(ns[p.id]!, port.ifname);
      await dhcp.bound();
      // The address and the default route via the gateway came from the DHCP server.
      expect(await ns[p.id]!.exec('ip', '-4', 'addr', 'show', 'dev', port.ifname)).toContain(
        `${p.ip_address}/24`,
      );
      expect(await ns[p.id]!.exec('ip', 'route', 'show', 'default')).toContain(`via ${gw}`);
    }
    await ns.r!.exec('ip', 'link', 'set', 'lo', 'up');
    await ns.r!.exec('ip', 'addr', 'add', '192.168.50.1/32', 'dev', 'lo');
    await c.call('createvirtualrouter', { id: 'r1' });
    await c.call('addrouterinterface', { router: 'r1', subnet: 'sa' });
  });

  it('with one subnet attached the gateway answers but network B is out of reach', async () => {
    expect(await reachable(ns.a!, '10.1.0.1')).toBe(true);
    expect(await unreachable(ns.a!, '10.2.0.11')).toBe(true);
  });

  it('once both subnets are attached, A and B ping each other through the router (TTL − 1)', async () => {
    await c.call('addrouterinterface', { router: 'r1', subnet: 'sb' });
    expect(await reachable(ns.a!, '10.2.0.11')).toBe(true);
    expect(await reachable(ns.b!, '10.1.0.10')).toBe(true);
    // Linux answers with TTL 64; one routing hop on the way back leaves 63.
    expect(await pingOutput(ns.a!, '10.2.0.11')).toMatch(/ttl=63/);
  });

  it('every router address answers ping from either side', async () => {
    expect(await reachable(ns.a!, '10.2.0.1')).toBe(true);
    expect(await reachable(ns.b!, '10.1.0.1')).toBe(true);
    expect(await pingOutput(ns.a!, '10.1.0.1')).toMatch(/ttl=64/);
  });

  it('ping -t 1 across networks gets time-exceeded from the gateway', async () => {
    const out = await until(async () => {
      const o = await pingOutput(ns.a!, '10.2.0.11', '-t', '1');
      return /Time to live exceeded/.test(o) ? o : undefined;
    }, 'time-exceeded');
    expect(out).toMatch(/From 10\.1\.0\.1 .*Time to live exceeded/);
  });

  it('a static route delivers to the logical port acting as a router, and its replies come back', async () => {
    // No route yet: nothing for 192.168.50.0/24 leaves the router.
    expect(await unreachable(ns.a!, '192.168.50.1')).toBe(true);
    await c.call('updatevirtualrouter', { id: 'r1', routes: [['192.168.50.0/24', '10.2.0.5']] });
    // A round trip: a → router → r (route to 10.2.0.5), r's reply from 192.168.50.1 passes
    // port security by its pair and is routed back to a (one hop: TTL 63).
    expect(await reachable(ns.a!, '192.168.50.1')).toBe(true);
    expect(await pingOutput(ns.a!, '192.168.50.1')).toMatch(/from 192\.168\.50\.1: .*ttl=63/);
  });

  it('without the pair the requests still reach r but its replies are dropped', async () => {
    await c.call('updatelogicalport', { id: 'r', allowed_address_pairs: null });
    await until(async () => !(await pings(ns.a!, '192.168.50.1')), 'replies dropped');
    const before = await icmpInEchos(ns.r!);
    expect(await unreachable(ns.a!, '192.168.50.1')).toBe(true);
    // r's kernel got (and answered) the requests: the drop is r's replies, in port security.
    expect(await icmpInEchos(ns.r!)).toBeGreaterThanOrEqual(before + 3);
    await c.call('updatelogicalport', {
      id: 'r',
      allowed_address_pairs: [{ ip_address: '192.168.50.0/24' }],
    });
    expect(await reachable(ns.a!, '192.168.50.1')).toBe(true);
  });

  it('without the route the requests no longer reach r', async () => {
    await c.call('updatevirtualrouter', { id: 'r1', routes: [] });
    await until(async () => !(await pings(ns.a!, '192.168.50.1')), 'route withdrawn');
    const before = await icmpInEchos(ns.r!);
    expect(await unreachable(ns.a!, '192.168.50.1')).toBe(true);
    expect(await icmpInEchos(ns.r!)).toBe(before);
  });

  it('removing an interface cuts routing again', async () => {
    await c.call('removerouterinterface', { router: 'r1', subnet: 'sb' });
    await until(async () => !(await pings(ns.a!, '10.2.0.11')), 'routing cut');
    expect(await unreachable(ns.a!, '10.2.0.11')).toBe(true);
    expect(await unreachable(ns.b!, '10.1.0.10')).toBe(true);
  });
});
