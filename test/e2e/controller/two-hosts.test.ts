/**
 * Two "hosts" through the built CLI with a shared store (ZooKeeper, then Redis): two OVS instances,
 * each in a namespace of its own, joined by a veth underlay (VXLAN) and a veth VLAN trunk
 * between their integration bridges; one `vlcp-ts start` per host, both on one
 * `zookeeper://` store URL. Configuration is written through either controller's Web
 * API; each host learns the other's VTEP and ports through the store only.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addInternalPort,
  cleanupAll,
  createNetns,
  freePort,
  type Netns,
  type OvsInstance,
  registerCleanup,
  run,
  startOvs,
  startRedis,
  startZookeeper,
} from '../../harness';
import { startControllerRelay } from '../../harness/controller-relay';
import { type CliController, startCliController, until } from './cli-controller';

afterAll(cleanupAll);
const dir = mkdtempSync(join(tmpdir(), 'vlcp-e2e-2hosts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
  readonly ctl: CliController;
}

/**
 * A host: its namespace with OVS, br-phy holding the underlay address, br-int with a vxlan
 * port and the VLAN trunk, and its own controller process (in the test's namespace,
 * reached through a relay: ZooKeeper listens on the test's loopback).
 */
async function startHost(name: string, underlay: string, store: string, veth: string, trunk: string) {
  const ns = await createNetns(name);
  await run('ip', ['link', 'set', veth, 'netns', ns.name]);
  await run('ip', ['link', 'set', trunk, 'netns', ns.name]);
  const ovs = await startOvs({ netns: ns.name, systemId: name });
  await ovs.addBridge('br-phy', { failMode: 'standalone' });
  await ovs.vsctl('add-port', 'br-phy', veth);
  await ns.exec('ip', 'link', 'set', veth, 'up');
  await ns.exec('ip', 'addr', 'add', `${underlay}/24`, 'dev', 'br-phy');
  await ns.exec('ip', 'link', 'set', 'br-phy', 'up');
  const cwd = mkdtempSync(join(dir, `${name}-`));
  const ctl = await startCliController({
    ofPort: await freePort(),
    webPort: await freePort(),
    ovsdb: `unix:${ovs.dbSock}`,
    store,
    cwd,
  });
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
  await ns.exec('ip', 'link', 'set', trunk, 'up');
  await ovs.vsctl('add-port', 'br-int', trunk);
  return { ns, ovs, ctl };
}

/** Each store, and the short prefix of the names (namespaces, veths, system ids) its run uses. */
const STORES: readonly [string, string, () => Promise<string>][] = [
  ['ZooKeeper', 'zk', async () => `zookeeper://${(await startZookeeper()).connectString}/vlcp-e2e`],
  ['Redis', 'rd', async () => (await startRedis()).url],
];

describe.each(STORES)(
  'two hosts, two built controllers, one %s store: VXLAN and VLAN',
  (_store, p, startStore) => {
    let a: Host;
    let b: Host;
    const vm: Record<string, Netns> = {};

    beforeAll(async () => {
      const store = await startStore();
      const tag = process.pid % 10000;
      const [va, vb, ta, tb] = [`${p}va${tag}`, `${p}vb${tag}`, `${p}ta${tag}`, `${p}tb${tag}`];
      // Deleting one end deletes the pair; a pair already moved into a namespace goes with it.
      const dropLinks = () => {
        for (const l of [va, ta])
          try {
            execFileSync('ip', ['link', 'delete', l], { stdio: 'ignore' });
          } catch {
            // Gone already (moved into a namespace, deleted with it).
          }
      };
      registerCleanup({ what: 'underlay and trunk veths', run: async () => dropLinks(), runSync: dropLinks });
      await run('ip', ['link', 'add', va, 'type', 'veth', 'peer', 'name', vb]);
      await run('ip', ['link', 'add', ta, 'type', 'veth', 'peer', 'name', tb]);
      a = await startHost(`${p}hosta`, '172.31.19.1', store, va, ta);
      b = await startHost(`${p}hostb`, '172.31.19.2', store, vb, tb);
      await until(() => pings(a.ns, '172.31.19.2'), 'underlay a -> b');
      await until(() => pings(b.ns, '172.31.19.1'), 'underlay b -> a');

      // Physical networks through host a's API, VLCP's GET convention included.
      await a.ctl.get('viperflow/createphysicalnetwork', {
        id: 'px',
        type: 'vxlan',
        vnirange: '`[[7000, 7100]]`',
      });
      await a.ctl.get('viperflow/createphysicalport', { physicalnetwork: 'px', name: 'vxlan0' });
      await a.ctl.call('viperflow/createphysicalnetwork', {
        id: 'pv',
        type: 'vlan',
        vlanrange: [[300, 310]],
      });
      // The trunk has another name on each host: one physical port per host (systemid).
      await a.ctl.call('viperflow/createphysicalports', {
        ports: [
          { physicalnetwork: 'pv', name: ta, systemid: `${p}hosta` },
          { physicalnetwork: 'pv', name: tb, systemid: `${p}hostb` },
        ],
      });
      // Networks and ports through host b's API: what one controller writes, both see.
      await b.ctl.call('viperflow/createlogicalnetworks', {
        networks: [
          { id: 'n1', physicalnetwork: 'px' },
          { id: 'n2', physicalnetwork: 'px' },
          { id: 'n3', physicalnetwork: 'pv' },
        ],
      });
      await b.ctl.call('viperflow/createsubnets', {
        subnets: [
          { id: 's1', logicalnetwork: 'n1', cidr: '10.15.0.0/24' },
          { id: 's2', logicalnetwork: 'n2', cidr: '10.15.0.0/24' },
          { id: 's3', logicalnetwork: 'n3', cidr: '10.16.0.0/24' },
        ],
      });
      const ports = [
        { id: 'x1', host: a, logicalnetwork: 'n1', subnet: 's1', mac: '02:00:00:15:00:01', ip: '10.15.0.1' },
        { id: 'y1', host: b, logicalnetwork: 'n1', subnet: 's1', mac: '02:00:00:15:00:02', ip: '10.15.0.2' },
        { id: 'y2', host: b, logicalnetwork: 'n2', subnet: 's2', mac: '02:00:00:15:00:03', ip: '10.15.0.3' },
        { id: 'v1', host: a, logicalnetwork: 'n3', subnet: 's3', mac: '02:00:00:16:00:01', ip: '10.16.0.1' },
        { id: 'v2', host: b, logicalnetwork: 'n3', subnet: 's3', mac: '02:00:00:16:00:02', ip: '10.16.0.2' },
      ];
      await b.ctl.call('viperflow/createlogicalports', {
        ports: ports.map((port) => ({
          id: port.id,
          logicalnetwork: port.logicalnetwork,
          subnet: port.subnet,
          mac_address: port.mac,
          ip_address: port.ip,
        })),
      });
      for (const port of ports) {
        vm[port.id] = await createNetns(`${p}${port.id}`);
        await addInternalPort(port.host.ovs, 'br-int', vm[port.id]!, {
          ifaceId: port.id,
          mac: port.mac,
          address: `${port.ip}/24`,
        });
      }
    }, 600_000);

    afterAll(async () => {
      await Promise.all([a?.ctl.stop(), b?.ctl.stop()]);
    });

    it('both controllers list every logical port, whichever API created them', async () => {
      for (const h of [a, b]) {
        const listed = await h.ctl.get<{ id: string }[]>('viperflow/listlogicalports');
        expect(listed.map((p) => p.id).sort()).toEqual(['v1', 'v2', 'x1', 'y1', 'y2']);
      }
    });

    it('VXLAN: VMs of one logical network on different hosts ping each other', async () => {
      expect(await until(() => pings(vm.x1!, '10.15.0.2'), 'x1 -> y1')).toBe(true);
      expect(await until(() => pings(vm.y1!, '10.15.0.1'), 'y1 -> x1')).toBe(true);
      // The traffic went through the tunnel (the trunk carries only the VLAN network).
      // OpenFlow port stats are live (the OVSDB statistics column lags by seconds).
      const tunnelled = async (h: Host) =>
        Number(
          /tx pkts=(\d+)/.exec(await h.ovs.ofctl('-O', 'OpenFlow13', 'dump-ports', 'br-int', 'vxlan0'))?.[1],
        );
      expect(await tunnelled(a)).toBeGreaterThan(0);
      expect(await tunnelled(b)).toBeGreaterThan(0);
    });

    it('VXLAN: a VM of another logical network on the other host does not answer', async () => {
      await until(() => pings(vm.x1!, '10.15.0.2'), 'x1 -> y1');
      for (let i = 0; i < 3; i++) expect(await pings(vm.x1!, '10.15.0.3')).toBe(false);
    });

    it('VLAN: VMs of one logical network on different hosts ping each other over the trunk', async () => {
      expect(await until(() => pings(vm.v1!, '10.16.0.2'), 'v1 -> v2')).toBe(true);
      expect(await until(() => pings(vm.v2!, '10.16.0.1'), 'v2 -> v1')).toBe(true);
    });

    it('a port deleted while its host controller is down is cut off once that controller is back', async () => {
      await until(() => pings(vm.x1!, '10.15.0.2'), 'x1 -> y1');
      await b.ctl.stop();
      // Written through the other host's controller, into the shared store.
      await a.ctl.get('viperflow/deletelogicalport', { id: 'y1' });
      await b.ctl.start();
      const y1Mac = '02:00:00:15:00:02';
      // FlowSync on b reads back y1's flows and, once its removal hold is over, deletes them.
      await until(
        async () => !(await b.ovs.ofctl('-O', 'OpenFlow13', 'dump-flows', 'br-int')).includes(y1Mac),
        "y1's flows gone from host b",
        180_000,
      );
      expect(await a.ovs.ofctl('-O', 'OpenFlow13', 'dump-flows', 'br-int')).not.toContain(y1Mac);
      for (let i = 0; i < 3; i++) {
        expect(await pings(vm.y1!, '10.15.0.1')).toBe(false);
        expect(await pings(vm.x1!, '10.15.0.2')).toBe(false);
      }
      // The rest of b's networks still work.
      expect(await until(() => pings(vm.v2!, '10.16.0.1'), 'v2 -> v1')).toBe(true);
    });
  },
);
