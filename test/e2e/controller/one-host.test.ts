/**
 * One host, the whole controller: the built CLI (`vlcp-ts start`) beside a private OVS
 * with the real userspace datapath, configured through its Web API only (VLCP's calls:
 * GET with query strings and backtick literals, POST with JSON). A VLAN physical network,
 * two logical networks whose subnets share one CIDR (only the controller keeps them
 * apart), four "VMs" as OVS internal ports moved into namespaces, configured by dhclient
 * from the controller's DHCP server. Two ports are created by the API before their OVS
 * port exists, two after.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addInternalPort,
  cleanupAll,
  createNetns,
  type Dhclient,
  type Netns,
  type OvsInstance,
  pings,
  reachable,
  startDhclient,
  startOvs,
  unreachable,
} from '../../harness';
import { type CliController, startCliController, until } from './cli-controller';

afterAll(cleanupAll);
const dir = mkdtempSync(join(tmpdir(), 'vlcp-e2e-onehost-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface LogicalPort {
  readonly id: string;
  readonly mac_address: string;
  readonly ip_address: string;
}
interface Binding {
  readonly name: string;
  readonly logicalPortId?: string;
}

interface Vm {
  ns: Netns;
  ifname: string;
  mac: string;
  ip: string;
  dhcp: Dhclient;
}

describe('one host: the built controller, DHCP, isolation, port security (userspace OVS, namespaces)', () => {
  let ovs: OvsInstance;
  let ctl: CliController;
  const vm: Record<string, Vm> = {};

  beforeAll(async () => {
    ovs = await startOvs({ systemId: 'e2e-host1' });
    ctl = await startCliController({ ovsdb: `unix:${ovs.dbSock}`, cwd: dir });
    await ovs.addBridge('br0', { controllerPort: ctl.ofPort, protocols: 'OpenFlow13' });

    // GET with a backtick literal, as VLCP's documentation calls it.
    await ctl.get('viperflow/createphysicalnetwork', { id: 'pn', type: 'vlan', vlanrange: '`[[100, 110]]`' });
    await ctl.call('viperflow/createlogicalnetworks', {
      networks: [
        {
          id: 'n1',
          physicalnetwork: 'pn',
          mtu: 1400,
          dns_nameservers: ['10.40.0.53'],
          domain_name: 'n1.test',
        },
        { id: 'n2', physicalnetwork: 'pn', mtu: 1450, dns_nameservers: ['10.40.0.54'] },
      ],
    });
    await ctl.call('viperflow/createsubnets', {
      subnets: [
        {
          id: 's1',
          logicalnetwork: 'n1',
          cidr: '10.40.0.0/24',
          gateway: '10.40.0.1',
          allocated_start: '10.40.0.10',
          allocated_end: '10.40.0.99',
          host_routes: [['172.16.0.0/12', '10.40.0.254']],
        },
        {
          id: 's2',
          logicalnetwork: 'n2',
          cidr: '10.40.0.0/24',
          gateway: '10.40.0.1',
          allocated_start: '10.40.0.100',
          allocated_end: '10.40.0.199',
        },
      ],
    });

    const plug = async (id: string, mac: string, ip: string) => {
      const ns = await createNetns(`e1${id}`);
      const { ifname } = await addInternalPort(ovs, 'br0', ns, { ifaceId: id, mac });
      vm[id] = { ns, ifname, mac, ip } as Vm;
    };
    // API first (a: given address and MAC; c: both allocated), OVS port after.
    const [a] = await ctl.call<LogicalPort[]>('viperflow/createlogicalport', {
      id: 'a',
      logicalnetwork: 'n1',
      subnet: 's1',
      mac_address: '02:00:00:40:00:0a',
      ip_address: '10.40.0.10',
    });
    const [c] = await ctl.call<LogicalPort[]>('viperflow/createlogicalport', {
      id: 'c',
      logicalnetwork: 'n2',
      subnet: 's2',
    });
    // OVS port first, API after: the switch already has the ports when they are described.
    await plug('b', '02:00:00:40:00:0b', '');
    await plug('d', '02:00:00:40:00:0d', '10.40.0.150');
    await until(async () => {
      const bs = await ctl.get<Binding[]>('portbinding/listbindings');
      return [vm.b!.ifname, vm.d!.ifname].every((n) => bs.some((x) => x.name === n));
    }, 'the switch ports of b and d seen by portbinding');
    const [b, d] = await ctl.call<LogicalPort[]>('viperflow/createlogicalports', {
      ports: [
        { id: 'b', logicalnetwork: 'n1', subnet: 's1', mac_address: '02:00:00:40:00:0b' },
        {
          id: 'd',
          logicalnetwork: 'n2',
          subnet: 's2',
          mac_address: '02:00:00:40:00:0d',
          ip_address: '10.40.0.150',
        },
      ],
    });
    vm.b!.ip = b!.ip_address;
    await plug('a', a!.mac_address, a!.ip_address);
    await plug('c', c!.mac_address, c!.ip_address);
    expect(d!.ip_address).toBe('10.40.0.150');

    for (const v of Object.values(vm)) v.dhcp = startDhclient(v.ns, v.ifname);
    await Promise.all(Object.values(vm).map((v) => v.dhcp.bound()));
  }, 600_000);

  afterAll(async () => {
    await ctl?.stop();
  });

  const ipIn = (v: Vm, ...args: string[]) => v.ns.exec('ip', ...args);

  it('every namespace got its address, gateway, MTU, DNS and host routes from DHCP', async () => {
    const expected: Record<string, { mtu: string; dns: string }> = {
      a: { mtu: '1400', dns: '10.40.0.53' },
      b: { mtu: '1400', dns: '10.40.0.53' },
      c: { mtu: '1450', dns: '10.40.0.54' },
      d: { mtu: '1450', dns: '10.40.0.54' },
    };
    expect(vm.b!.ip).toMatch(/^10\.40\.0\.(1[0-9]|[2-9][0-9])$/);
    expect(vm.c!.ip).toMatch(/^10\.40\.0\.1[0-9][0-9]$/);
    for (const [id, v] of Object.entries(vm)) {
      expect(v.dhcp.lease()).toMatchObject({
        new_ip_address: v.ip,
        new_subnet_mask: '255.255.255.0',
        new_routers: '10.40.0.1',
        new_interface_mtu: expected[id]!.mtu,
        new_domain_name_servers: expected[id]!.dns,
      });
      expect(await ipIn(v, '-4', '-o', 'addr', 'show', 'dev', v.ifname)).toContain(`inet ${v.ip}/24`);
      expect(await ipIn(v, 'link', 'show', 'dev', v.ifname)).toContain(`mtu ${expected[id]!.mtu}`);
      expect(await ipIn(v, '-4', 'route', 'show')).toContain(`default via 10.40.0.1 dev ${v.ifname}`);
    }
    expect(vm.a!.dhcp.lease().new_domain_name).toBe('n1.test');
    for (const v of [vm.a!, vm.b!])
      expect(await ipIn(v, '-4', 'route', 'show')).toContain(`172.16.0.0/12 via 10.40.0.254 dev ${v.ifname}`);
  });

  it('ports of one logical network ping each other (both binding orders)', async () => {
    expect(await reachable(vm.a!.ns, vm.b!.ip)).toBe(true);
    expect(await reachable(vm.b!.ns, vm.a!.ip)).toBe(true);
    expect(await reachable(vm.c!.ns, vm.d!.ip)).toBe(true);
    expect(await reachable(vm.d!.ns, vm.c!.ip)).toBe(true);
  });

  it('ARP: the gateway and the ports of the network resolve to their MACs', async () => {
    await reachable(vm.a!.ns, vm.b!.ip);
    const neigh = (v: Vm, ip: string) => ipIn(v, 'neigh', 'show', ip, 'dev', v.ifname);
    expect(await neigh(vm.a!, vm.b!.ip)).toContain(`lladdr ${vm.b!.mac}`);
    // Nothing answers ICMP at the gateway (no router yet), but its address resolves, to the
    // arpresponder's default gateway MAC.
    for (const v of [vm.a!, vm.c!]) {
      await pings(v.ns, '10.40.0.1');
      await until(async () => /lladdr 02:56:4c:00:00:01/.test(await neigh(v, '10.40.0.1')), 'gateway MAC');
    }
  });

  it('ports of different logical networks cannot reach each other, even in the same subnet', async () => {
    await reachable(vm.a!.ns, vm.b!.ip);
    await reachable(vm.c!.ns, vm.d!.ip);
    expect(await unreachable(vm.a!.ns, vm.c!.ip)).toBe(true);
    expect(await unreachable(vm.d!.ns, vm.b!.ip)).toBe(true);
    // Even knowing the other's MAC (no ARP needed), unicast does not cross.
    await ipIn(vm.a!, 'neigh', 'replace', vm.c!.ip, 'lladdr', vm.c!.mac, 'dev', vm.a!.ifname);
    expect(await unreachable(vm.a!.ns, vm.c!.ip)).toBe(true);
  });

  it('a spoofed source MAC is dropped; the port works again with its own MAC', async () => {
    await reachable(vm.b!.ns, vm.a!.ip);
    await ipIn(vm.b!, 'link', 'set', vm.b!.ifname, 'address', '02:00:00:40:00:99');
    expect(await unreachable(vm.b!.ns, vm.a!.ip)).toBe(true);
    await ipIn(vm.b!, 'link', 'set', vm.b!.ifname, 'address', vm.b!.mac);
    expect(await reachable(vm.b!.ns, vm.a!.ip)).toBe(true);
  });

  it('deleting a logical port (API) cuts its traffic', async () => {
    await reachable(vm.c!.ns, vm.d!.ip);
    await ctl.get('viperflow/deletelogicalport', { id: 'd' });
    await until(async () => !(await pings(vm.c!.ns, vm.d!.ip)), 'd cut off');
    expect(await unreachable(vm.c!.ns, vm.d!.ip)).toBe(true);
    expect(await unreachable(vm.d!.ns, vm.c!.ip)).toBe(true);
    // The other network is untouched.
    expect(await reachable(vm.a!.ns, vm.b!.ip)).toBe(true);
  });
});
