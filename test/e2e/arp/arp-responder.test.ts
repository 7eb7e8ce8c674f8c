/**
 * Real traffic: two "VMs" (OVS internal ports moved into namespaces, static addresses) on a
 * userspace OVS driven by a controller with the arpresponder module. The l2 module's
 * ingress and flood are stood in for by test flows. A ping to a declared address whose
 * port is nowhere leaves the answer in the namespace's neighbour table: the ARP request was
 * answered by the switch with the declared MAC, and never reached the flood.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_GATEWAY_MAC } from '../../../src/modules/arp-responder';
import { flow13 } from '../../../src/modules/flowsync';
import { buildMatch, ETH_TYPE } from '../../../src/openflow/oxm';
import { type DatapathId, toDatapathId } from '../../../src/openflow/protocol';
import {
  addInternalPort,
  cleanupAll,
  createNetns,
  freePort,
  type Netns,
  type OvsInstance,
  ofport,
  type PortInNetns,
  pings,
  startOvs,
} from '../../harness';
import {
  type ArpController,
  startArpController,
  until,
} from '../../integration/modules/arp-responder/controller';

afterAll(cleanupAll);

const MAC1 = '02:00:00:05:00:11';
const MAC2 = '02:00:00:05:00:12';
const MAC9 = '02:00:00:05:00:99';

describe('arpresponder with real traffic (userspace OVS, namespaces)', () => {
  let ovs: OvsInstance;
  let ctl: ArpController;
  let dpid: DatapathId;
  let vm1: PortInNetns;
  let vm2: PortInNetns;
  let nwid: number;

  /** The neighbour entry the namespace holds for `ip` (empty if none). */
  const neigh = (ns: Netns, ip: string) => ns.exec('ip', 'neigh', 'show', ip);
  /** Packets the stand-in flood flow for ARP has carried. */
  const floodedArp = async () => {
    const out = await ovs.ofctl(
      '-O',
      'OpenFlow13',
      'dump-flows',
      'br0',
      `table=${ctl.tables.number('l2output')},arp`,
    );
    return Number(/n_packets=(\d+)/.exec(out)?.[1] ?? Number.NaN);
  };

  beforeAll(async () => {
    ovs = await startOvs();
    const port = await freePort();
    const store = `embedded:${join(mkdtempSync(join(tmpdir(), 'arp-e2e-')), 'store')}`;
    ctl = await startArpController({ store, openflowPort: port, ovsdb: `unix:${ovs.dbSock}` });
    await ovs.addBridge('br0', { controllerPort: port, protocols: 'OpenFlow13' });
    dpid = toDatapathId((await ovs.vsctl('get', 'bridge', 'br0', 'datapath_id')).trim());

    await ctl.call('createphysicalnetwork', { id: 'pn', type: 'vlan', vlanrange: [[10, 20]] });
    const [net] = (await ctl.call('createlogicalnetwork', { id: 'n1', physicalnetwork: 'pn' })) as {
      nwid: number;
    }[];
    nwid = net!.nwid;
    await ctl.call('createsubnet', {
      id: 's1',
      logicalnetwork: 'n1',
      cidr: '10.5.0.0/24',
      gateway: '10.5.0.1',
    });
    await ctl.call('createlogicalports', {
      ports: [
        { id: 'lp1', logicalnetwork: 'n1', subnet: 's1', mac_address: MAC1, ip_address: '10.5.0.11' },
        { id: 'lp2', logicalnetwork: 'n1', subnet: 's1', mac_address: MAC2, ip_address: '10.5.0.12' },
        // Declared, plugged in nowhere: only the switch can answer for it.
        { id: 'lp9', logicalnetwork: 'n1', subnet: 's1', mac_address: MAC9, ip_address: '10.5.0.99' },
      ],
    });

    const ns1 = await createNetns('arp');
    const ns2 = await createNetns('arp');
    vm1 = await addInternalPort(ovs, 'br0', ns1, { address: '10.5.0.11/24', mac: MAC1, ifaceId: 'lp1' });
    vm2 = await addInternalPort(ovs, 'br0', ns2, { address: '10.5.0.12/24', mac: MAC2, ifaceId: 'lp2' });
    const p1 = await ofport(ovs, vm1.port);
    const p2 = await ofport(ovs, vm2.port);

    // Stand-ins for the l2 module: ingress sets the network; l2output floods (ARP counted apart).
    const metadata = BigInt(nwid);
    const flood = [
      { type: 'output' as const, port: p1, maxLen: 0 },
      { type: 'output' as const, port: p2, maxLen: 0 },
    ];
    ctl.sync.replace('test:l2', dpid, [
      ...[p1, p2].map((p) =>
        flow13({
          table: ctl.tables.number('ingress'),
          priority: 100,
          match: buildMatch({ in_port: p }),
          instructions: [
            { type: 'write_metadata', metadata, metadataMask: 0xffff_ffff_ffff_ffffn },
            { type: 'goto_table', tableId: ctl.tables.number('arp') },
          ],
        }),
      ),
      flow13({
        table: ctl.tables.number('l2output'),
        priority: 20,
        match: buildMatch({ metadata, eth_type: ETH_TYPE.ARP }),
        instructions: [{ type: 'apply_actions', actions: flood }],
      }),
      flow13({
        table: ctl.tables.number('l2output'),
        priority: 10,
        match: buildMatch({ metadata }),
        instructions: [{ type: 'apply_actions', actions: flood }],
      }),
    ]);
    await until(async () => {
      const out = await ovs.ofctl(
        '-O',
        'OpenFlow13',
        'dump-flows',
        'br0',
        `table=${ctl.tables.number('arp')}`,
      );
      return out.includes('arp_tpa=10.5.0.99') && out.includes('arp_tpa=10.5.0.1,');
    }, 'ARP flows');
    await ctl.sync.idle(dpid);
  }, 120_000);

  afterAll(async () => {
    await ctl?.runtime.stop();
  });

  it('answers for a declared port that is plugged in nowhere, with its MAC, without flooding', async () => {
    const before = await floodedArp();
    expect(await pings(vm1.netns, '10.5.0.99')).toBe(false); // nobody there to answer the ping
    expect(await neigh(vm1.netns, '10.5.0.99')).toContain(`lladdr ${MAC9}`);
    expect(await floodedArp()).toBe(before);
  });

  it("answers for the subnet's gateway with the gateway MAC", async () => {
    await pings(vm1.netns, '10.5.0.1');
    expect(await neigh(vm1.netns, '10.5.0.1')).toContain(`lladdr ${DEFAULT_GATEWAY_MAC}`);
  });

  it('answers for a port on the switch, and the ping then goes through', async () => {
    const before = await floodedArp();
    expect(await pings(vm1.netns, '10.5.0.12')).toBe(true);
    expect(await neigh(vm1.netns, '10.5.0.12')).toContain(`lladdr ${MAC2}`);
    // vm2's own ARP for vm1 (to answer the echo) is answered by the switch as well.
    expect(await neigh(vm2.netns, '10.5.0.11')).toContain(`lladdr ${MAC1}`);
    expect(await floodedArp()).toBe(before);
  });

  it('leaves requests for unknown addresses to the flood', async () => {
    const before = await floodedArp();
    expect(await pings(vm1.netns, '10.5.0.77')).toBe(false);
    expect(await neigh(vm1.netns, '10.5.0.77')).not.toContain('lladdr');
    expect(await floodedArp()).toBeGreaterThan(before);
  });
});
