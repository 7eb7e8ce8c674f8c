/**
 * ICMP net and host unreachable with real traffic: a userspace OVS, a "VM" (an OVS internal
 * port in a namespace, configured by dhclient from the DHCP server: address and default route
 * via the gateway) in a network attached to a virtual router, and a controller runtime with
 * l2, arpresponder, dhcpserver and l3. `ping` to an address no subnet or route of the router
 * covers gets "Destination Net Unreachable" from the gateway (Linux ping's wording for type
 * 3 code 0); a static route covering it silences that; the gateway itself still answers.
 * `ping` to an address of ANOTHER attached subnet that no port holds gets "Destination Host
 * Unreachable" (type 3 code 1) from the VM's gateway (an unknown address of the VM's own
 * subnet is never routed: the VM ARPs for it directly).
 */
import { dhcpServerModule } from '../../../src/modules/dhcp-server';
import {
  addInternalPort,
  cleanupAll,
  createNetns,
  type Netns,
  type OvsInstance,
  pingOutput,
  startDhclient,
  startOvs,
} from '../../harness';
import { type L3Controller, startL3Controller, until } from '../../integration/modules/l3/l3-controller';

afterAll(cleanupAll);

const NET_UNREACHABLE = /From 10\.1\.0\.1 icmp_seq=1 Destination Net Unreachable/;
const HOST_UNREACHABLE = /From 10\.1\.0\.1 icmp_seq=1 Destination Host Unreachable/;

describe('l3 net and host unreachable end to end (userspace OVS, a namespace, ping)', () => {
  let ovs: OvsInstance;
  let c: L3Controller;
  let vm: Netns;

  beforeAll(async () => {
    ovs = await startOvs({ systemId: 'host-l3-unreach' });
    c = await startL3Controller(ovs, { extraModules: [dhcpServerModule] });
    await ovs.addBridge('br0', { controllerPort: c.ofPort, protocols: 'OpenFlow13' });
    await c.call('createphysicalnetwork', { id: 'pn', type: 'vlan', vlanrange: [[10, 20]] });
    await c.call('createlogicalnetwork', { id: 'na', physicalnetwork: 'pn' });
    await c.call('createsubnet', {
      id: 'sa',
      logicalnetwork: 'na',
      cidr: '10.1.0.0/24',
      gateway: '10.1.0.1',
    });
    await c.call('createlogicalport', {
      id: 'a',
      logicalnetwork: 'na',
      subnet: 'sa',
      mac_address: '02:00:00:00:01:0a',
      ip_address: '10.1.0.10',
    });
    vm = await createNetns('l3un');
    const port = await addInternalPort(ovs, 'br0', vm, { ifaceId: 'a', mac: '02:00:00:00:01:0a' });
    await startDhclient(vm, port.ifname).bound();
    expect(await vm.exec('ip', 'route', 'show', 'default')).toContain('via 10.1.0.1');
    await c.call('createvirtualrouter', { id: 'r1' });
    await c.call('addrouterinterface', { router: 'r1', subnet: 'sa' });
  });

  it('ping 203.0.113.1 gets "Destination Net Unreachable" from the gateway', async () => {
    const out = await until(
      async () => {
        const o = await pingOutput(vm, '203.0.113.1');
        return NET_UNREACHABLE.test(o) ? o : undefined;
      },
      'net unreachable from 10.1.0.1',
      60_000,
    );
    expect(out).toMatch(NET_UNREACHABLE);
    expect(out).toMatch(/100% packet loss/);
    // The gateway itself answers as before.
    expect(await pingOutput(vm, '10.1.0.1')).toMatch(/ 0% packet loss/);
    const stats = (await c.runtime.call('l3', 'stats', {})) as { readonly netUnreachable: number };
    expect(stats.netUnreachable).toBeGreaterThan(0);
  });

  it('a static route covering the destination silences it (the packet is routed, or dropped)', async () => {
    await c.call('updatevirtualrouter', { id: 'r1', routes: [['203.0.113.0/24', '10.1.0.99']] });
    const out = await until(
      async () => {
        const o = await pingOutput(vm, '203.0.113.1');
        return NET_UNREACHABLE.test(o) ? undefined : o;
      },
      'no more net unreachable',
      60_000,
    );
    expect(out).toMatch(/100% packet loss/);
    expect(out).not.toMatch(/Unreachable/);
  });

  it('ping to an unused address of another attached subnet gets "Destination Host Unreachable" from the gateway', async () => {
    await c.call('createlogicalnetwork', { id: 'nb', physicalnetwork: 'pn' });
    await c.call('createsubnet', {
      id: 'sb',
      logicalnetwork: 'nb',
      cidr: '10.2.0.0/24',
      gateway: '10.2.0.1',
    });
    await c.call('addrouterinterface', { router: 'r1', subnet: 'sb' });
    const out = await until(
      async () => {
        const o = await pingOutput(vm, '10.2.0.77');
        return HOST_UNREACHABLE.test(o) ? o : undefined;
      },
      'host unreachable from 10.1.0.1',
      60_000,
    );
    expect(out).toMatch(HOST_UNREACHABLE);
    expect(out).toMatch(/100% packet loss/);
    // The router's address on that subnet answers; its broadcast address gets no error.
    expect(await pingOutput(vm, '10.2.0.1')).toMatch(/ 0% packet loss/);
    const bcast = await pingOutput(vm, '10.2.0.255', '-b');
    expect(bcast).not.toMatch(/Unreachable/);
    const stats = (await c.runtime.call('l3', 'stats', {})) as { readonly hostUnreachable: number };
    expect(stats.hostUnreachable).toBeGreaterThan(0);
  });
});
