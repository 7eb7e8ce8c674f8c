/**
 * Two "hosts" through the built CLI with a shared store (ZooKeeper, then Redis): two OVS instances,
 * each in a namespace of its own, joined by a veth underlay (VXLAN) and a veth VLAN trunk
 * between their integration bridges; one `vlcp-ts start` per host, both on one
 * `zookeeper://` store URL. Configuration is written through either controller's Web
 * API; each host learns the other's VTEP and ports through the store only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addInternalPort,
  cleanupAll,
  createNetns,
  freePort,
  type Netns,
  type OvsHost,
  startRedis,
  startTwoHosts,
  startZookeeper,
} from '../../harness';
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

/** A host's controller is its own CLI process in the test's namespace (ZooKeeper listens on the test's loopback). */
type Host = OvsHost<CliController>;

/** Each store, and the short prefix of the names (namespaces, system ids) its run uses. */
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
      // The underlay (VXLAN) and a VLAN trunk between the two br-int; underlay warmed both ways.
      [a, b] = await startTwoHosts({
        systemIds: [`${p}hosta`, `${p}hostb`],
        underlay: ['172.31.19.1', '172.31.19.2'],
        trunk: true,
        startController: async (ovs, systemId) =>
          startCliController({
            ofPort: await freePort(),
            webPort: await freePort(),
            ovsdb: `unix:${ovs.dbSock}`,
            store,
            cwd: mkdtempSync(join(dir, `${systemId}-`)),
          }),
      });

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
          { physicalnetwork: 'pv', name: a.trunk!, systemid: a.systemId },
          { physicalnetwork: 'pv', name: b.trunk!, systemid: b.systemId },
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
