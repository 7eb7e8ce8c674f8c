/**
 * End to end: ISC dhclient in a network namespace, on an OVS internal port bound to a
 * logical port (`external_ids:iface-id`), gets its configuration from the controller's DHCP
 * server through a real userspace datapath. dhclient is the oracle: it parses our OFFER and
 * ACK, and a private script applies what it understood (address, MTU, routes) with `ip`.
 *
 * dhclient is kept away from system files: its own config (-cf), lease (-lf) and pid (-pf)
 * files and script (-sf) under the test's folder; the script never writes /etc/resolv.conf
 * (it records the DNS settings it was given in a file instead).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toDatapathId } from '../../../src/openflow/protocol';
import {
  addInternalPort,
  cleanupAll,
  createNetns,
  type Netns,
  type OvsInstance,
  ofport,
  registerCleanup,
  startOvs,
} from '../../harness';
import { type DhcpController, startDhcpController, until } from '../../integration/modules/dhcp-server/env';

afterAll(cleanupAll);

const CONFIG = `
option rfc3442-classless-static-routes code 121 = array of unsigned integer 8;
request subnet-mask, broadcast-address, routers, domain-name, domain-name-servers,
        interface-mtu, rfc3442-classless-static-routes, ntp-servers;
timeout 120;
`;

/** What Debian's dhclient-script does for an IPv4 lease, minus resolv.conf. */
const SCRIPT = `#!/bin/sh
echo "$reason" >> "$OUT/reasons"
case "$reason" in
  PREINIT)
    ip link set dev "$interface" up
    ;;
  BOUND|RENEW|REBIND|REBOOT)
    env | grep '^new_' | sort > "$OUT/lease-env"
    ip -4 addr flush dev "$interface"
    ip addr add "$new_ip_address/$new_subnet_mask" broadcast "$new_broadcast_address" dev "$interface"
    if [ -n "$new_interface_mtu" ]; then ip link set dev "$interface" mtu "$new_interface_mtu"; fi
    if [ -n "$new_rfc3442_classless_static_routes" ]; then
      set -- $new_rfc3442_classless_static_routes
      while [ $# -gt 0 ]; do
        len=$1; shift
        if [ "$len" -gt 24 ]; then dst="$1.$2.$3.$4"; shift 4
        elif [ "$len" -gt 16 ]; then dst="$1.$2.$3.0"; shift 3
        elif [ "$len" -gt 8 ]; then dst="$1.$2.0.0"; shift 2
        elif [ "$len" -gt 0 ]; then dst="$1.0.0.0"; shift 1
        else dst="0.0.0.0"; fi
        ip route add "$dst/$len" via "$1.$2.$3.$4" dev "$interface"
        shift 4
      done
    elif [ -n "$new_routers" ]; then
      for r in $new_routers; do ip route add default via "$r" dev "$interface"; break; done
    fi
    touch "$OUT/bound"
    ;;
esac
exit 0
`;

interface Client {
  readonly dir: string;
  readonly proc: ChildProcess;
  bound(): boolean;
  env(): Record<string, string>;
  log(): string;
}

function startDhclient(ns: Netns, ifname: string): Client {
  const dir = mkdtempSync(join(tmpdir(), 'vlcp-ts-dhclient-'));
  writeFileSync(join(dir, 'dhclient.conf'), CONFIG);
  writeFileSync(join(dir, 'script'), SCRIPT, { mode: 0o755 });
  let output = '';
  const proc = spawn(
    'ip',
    [
      'netns',
      'exec',
      ns.name,
      'dhclient',
      '-4',
      '-d',
      '-v',
      '-1',
      '-cf',
      join(dir, 'dhclient.conf'),
      '-lf',
      join(dir, 'dhclient.leases'),
      '-pf',
      join(dir, 'dhclient.pid'),
      '-sf',
      join(dir, 'script'),
      '-e',
      `OUT=${dir}`,
      ifname,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  proc.stdout.on('data', (d: Buffer) => {
    output += d.toString();
  });
  proc.stderr.on('data', (d: Buffer) => {
    output += d.toString();
  });
  // `ip netns exec` execs dhclient: this pid is dhclient's own, stopped by it alone.
  const stop = () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  registerCleanup({ what: `dhclient in ${ns.name}`, run: async () => stop(), runSync: stop });
  return {
    dir,
    proc,
    bound: () => {
      try {
        readFileSync(join(dir, 'bound'));
        return true;
      } catch {
        return false;
      }
    },
    env: () =>
      Object.fromEntries(
        readFileSync(join(dir, 'lease-env'), 'utf8')
          .split('\n')
          .filter((l) => l.includes('='))
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      ),
    log: () => output,
  };
}

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
    await until(
      () => client.bound() || (client.proc.exitCode !== null && 'exited'),
      'dhclient bound',
      150_000,
    ).then((r) => {
      if (r === 'exited') throw new Error(`dhclient gave up:\n${client.log()}`);
    });
    expect(client.log()).toMatch(/DHCPOFFER of 10\.30\.0\.21 from 10\.30\.0\.1/);
    expect(client.log()).toMatch(/DHCPACK of 10\.30\.0\.21 from 10\.30\.0\.1/);
    expect(client.env()).toMatchObject({
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
    await until(
      () => client.bound() || (client.proc.exitCode !== null && 'exited'),
      'dhclient bound',
      150_000,
    ).then((r) => {
      if (r === 'exited') throw new Error(`dhclient gave up:\n${client.log()}`);
    });
    expect(client.env()).toMatchObject({ new_ip_address: '10.31.0.7', new_dhcp_lease_time: '86400' });
    expect(client.env().new_rfc3442_classless_static_routes).toBeUndefined();
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
    await until(
      () => client.bound() || (client.proc.exitCode !== null && 'exited'),
      'dhclient bound',
      150_000,
    ).then((r) => {
      if (r === 'exited') throw new Error(`dhclient gave up:\n${client.log()}`);
    });
    // Stand-in for the ARP responder (another module): the server id resolves to the server MAC.
    await inNs(ns, 'neigh', 'replace', '10.32.0.1', 'lladdr', '1a:23:67:59:63:33', 'dev', ifname);
    await until(
      () => readFileSync(join(client.dir, 'reasons'), 'utf8').split('\n').includes('RENEW'),
      'dhclient renewed',
      150_000,
    );
    expect(client.log()).toMatch(/DHCPREQUEST for 10\.32\.0\.5 on \S+ to 10\.32\.0\.1 port 67/);
    expect(client.env()).toMatchObject({ new_ip_address: '10.32.0.5', new_dhcp_lease_time: '30' });
    expect(await c.runtime.call('dhcpserver', 'stats', {})).toMatchObject({ malformed: 0 });
  });
});
