/**
 * End to end: ISC dhclient in a network namespace, on an OVS internal port bound to a
 * logical port (`external_ids:iface-id`), gets its configuration from the controller's DHCP
 * server through a real userspace datapath. dhclient is the oracle: it parses our OFFER and
 * ACK, and a private script applies what it understood (address, MTU, routes) with `ip`.
 *
 * dhclient is kept away from system files (test/harness/dhclient.ts): its own config (-cf),
 * lease (-lf) and pid (-pf) files and script (-sf) under a test folder; the script never
 * writes /etc/resolv.conf (it records the DNS settings it was given in a file instead).
 */
import { toDatapathId } from '../../../src/openflow/protocol';
import {
  addInternalPort,
  cleanupAll,
  createNetns,
  type Netns,
  type OvsInstance,
  ofport,
  startDhclient,
  startOvs,
} from '../../harness';
import { type DhcpController, startDhcpController, until } from '../../integration/modules/dhcp-server/env';

afterAll(cleanupAll);

describe('dhclient configured by the dhcpserver module', () => {
  let ovs: OvsInstance;
  let c: DhcpController;

  beforeAll(async () => {
    ovs = await startOvs({ systemId: 'dhcp-e2e' });
    c = await startDhcpController(`unix:${ovs.dbSock}`);
    await ovs.addBridge('br0', { controllerPort: c.port, protocols: 'OpenFlow13' });
    await c.call('createphysicalnetwork', { id: 'phy', type: 'vlan', vlanrange: [[10, 20]] });
  });

  afterAll(async () => {
    await c?.stop();
  });

  async function plug(lp: string, mac: string, nwid: number) {
    const ns = await createNetns('dh');
    const port = await addInternalPort(ovs, 'br0', ns, { mac, ifaceId: lp });
    const dpid = toDatapathId(await ovs.vsctl('get', 'bridge', 'br0', 'datapath_id'));
    c.ingress(dpid, await ofport(ovs, port.port), nwid);
    await c.bindings.waitForLogicalPort(lp, { timeout: 60_000 });
    return { ns, ifname: port.ifname };
  }

  const inNs = (ns: Netns, ...args: string[]) => ns.exec('ip', ...args);

  it('host routes, MTU, DNS: the interface gets its address, the routes and the MTU', async () => {
    const [ln] = (await c.call('createlogicalnetwork', {
      id: 'ln1',
      physicalnetwork: 'phy',
      dns_nameservers: ['10.30.0.53'],
      domain_name: 'e2e.test',
      mtu: 1400,
    })) as { nwid: number }[];
    await c.call('createsubnet', {
      id: 's1',
      logicalnetwork: 'ln1',
      cidr: '10.30.0.0/24',
      gateway: '10.30.0.1',
      host_routes: [['172.16.0.0/12', '10.30.0.254']],
      lease_time: 600,
    });
    await c.call('createlogicalport', {
      id: 'vm1',
      logicalnetwork: 'ln1',
      subnet: 's1',
      mac_address: '02:00:00:30:00:21',
      ip_address: '10.30.0.21',
    });
    const { ns, ifname } = await plug('vm1', '02:00:00:30:00:21', ln!.nwid);
    const client = startDhclient(ns, ifname);
    await client.bound();
    expect(client.log()).toMatch(/DHCPOFFER of 10\.30\.0\.21 from 10\.30\.0\.1/);
    expect(client.log()).toMatch(/DHCPACK of 10\.30\.0\.21 from 10\.30\.0\.1/);
    expect(client.lease()).toMatchObject({
      new_ip_address: '10.30.0.21',
      new_subnet_mask: '255.255.255.0',
      new_broadcast_address: '10.30.0.255',
      new_routers: '10.30.0.1',
      new_domain_name_servers: '10.30.0.53',
      new_domain_name: 'e2e.test',
      new_interface_mtu: '1400',
      new_dhcp_lease_time: '600',
      new_dhcp_server_identifier: '10.30.0.1',
    });
    expect(await inNs(ns, '-4', '-o', 'addr', 'show', 'dev', ifname)).toMatch(
      /inet 10\.30\.0\.21\/24 brd 10\.30\.0\.255/,
    );
    expect(await inNs(ns, 'link', 'show', 'dev', ifname)).toMatch(/mtu 1400/);
    const routes = await inNs(ns, '-4', 'route', 'show');
    expect(routes).toMatch(new RegExp(`default via 10\\.30\\.0\\.1 dev ${ifname}`));
    expect(routes).toMatch(new RegExp(`172\\.16\\.0\\.0/12 via 10\\.30\\.0\\.254 dev ${ifname}`));
  });

  it('a subnet without host routes: the default route comes from the router option', async () => {
    const [ln] = (await c.call('createlogicalnetwork', { id: 'ln2', physicalnetwork: 'phy' })) as {
      nwid: number;
    }[];
    await c.call('createsubnet', {
      id: 's2',
      logicalnetwork: 'ln2',
      cidr: '10.31.0.0/16',
      gateway: '10.31.255.254',
    });
    await c.call('createlogicalport', {
      id: 'vm2',
      logicalnetwork: 'ln2',
      subnet: 's2',
      mac_address: '02:00:00:31:00:07',
      ip_address: '10.31.0.7',
    });
    const { ns, ifname } = await plug('vm2', '02:00:00:31:00:07', ln!.nwid);
    const client = startDhclient(ns, ifname);
    await client.bound();
    expect(client.lease()).toMatchObject({ new_ip_address: '10.31.0.7', new_dhcp_lease_time: '86400' });
    expect(client.lease().new_rfc3442_classless_static_routes).toBeUndefined();
    expect(await inNs(ns, '-4', '-o', 'addr', 'show', 'dev', ifname)).toMatch(/inet 10\.31\.0\.7\/16/);
    expect(await inNs(ns, '-4', 'route', 'show')).toMatch(
      new RegExp(`default via 10\\.31\\.255\\.254 dev ${ifname}`),
    );
  });
  it('a renewal (unicast REQUEST from the bound address) is ACKed and the lease kept', async () => {
    const [ln] = (await c.call('createlogicalnetwork', { id: 'ln3', physicalnetwork: 'phy' })) as {
      nwid: number;
    }[];
    // A short lease: dhclient renews after half of it.
    await c.call('createsubnet', {
      id: 's3',
      logicalnetwork: 'ln3',
      cidr: '10.32.0.0/24',
      gateway: '10.32.0.1',
      lease_time: 30,
    });
    await c.call('createlogicalport', {
      id: 'vm3',
      logicalnetwork: 'ln3',
      subnet: 's3',
      mac_address: '02:00:00:32:00:05',
      ip_address: '10.32.0.5',
    });
    const { ns, ifname } = await plug('vm3', '02:00:00:32:00:05', ln!.nwid);
    const client = startDhclient(ns, ifname);
    await client.bound();
    // Stand-in for the ARP responder (another module): the server id resolves to the server MAC.
    await inNs(ns, 'neigh', 'replace', '10.32.0.1', 'lladdr', '1a:23:67:59:63:33', 'dev', ifname);
    await until(() => client.reasons().includes('RENEW'), 'dhclient renewed', 150_000);
    expect(client.log()).toMatch(/DHCPREQUEST for 10\.32\.0\.5 on \S+ to 10\.32\.0\.1 port 67/);
    expect(client.lease()).toMatchObject({ new_ip_address: '10.32.0.5', new_dhcp_lease_time: '30' });
    expect(await c.runtime.call('dhcpserver', 'stats', {})).toMatchObject({ malformed: 0 });
  });
});
