import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arpFlows, DEFAULT_GATEWAY_MAC } from '../../../../src/modules/arp-responder';
import { FLOWSYNC_COOKIE, flow13, flowFromStats } from '../../../../src/modules/flowsync';
import { buildMatch } from '../../../../src/openflow/oxm';
import type { Ipv4Address } from '../../../../src/openflow/packet/ipv4-address';
import type { MacAddress } from '../../../../src/openflow/packet/mac-address';
import { type DatapathId, type OutgoingMessage, toDatapathId } from '../../../../src/openflow/protocol';
import { Group, Port } from '../../../../src/openflow/v13/constants';
import { cleanupAll, freePort, type OvsInstance, startOvs } from '../../../harness';
import { type ArpController, startArpController, until } from './controller';

afterAll(cleanupAll);

const MAC1 = '02:00:00:00:01:01';
const MAC2 = '02:00:00:00:01:02';
const MAC3 = '02:00:00:00:02:03';

describe('arpresponder against a private OVS (ofproto/trace)', () => {
  let ovs: OvsInstance;
  let ctl: ArpController;
  let dpid: DatapathId;
  let store: string;
  let ofPort: number;
  const nwid: Record<string, number> = {};

  const arpTable = async () =>
    (await ovs.ofctl('-O', 'OpenFlow13', 'dump-flows', 'br0', `table=${ctl.tables.number('arp')}`))
      .split('\n')
      .filter((l) => l.includes('priority='));

  /** Stand-in for the l2 module's ingress: in_port → metadata = nwid, goto arp. */
  const standInIngress = (ports: Record<number, string>) =>
    ctl.sync.replace(
      'test:ingress',
      dpid,
      Object.entries(ports).map(([port, net]) =>
        flow13({
          table: ctl.tables.number('ingress'),
          priority: 100,
          match: buildMatch({ in_port: Number(port) }),
          instructions: [
            { type: 'write_metadata', metadata: BigInt(nwid[net]!), metadataMask: 0xffff_ffff_ffff_ffffn },
            { type: 'goto_table', tableId: ctl.tables.number('arp') },
          ],
        }),
      ),
    );

  const trace = (flow: string) => ovs.appctl('ofproto/trace', 'br0', flow);

  const request = (inPort: number, srcMac: string, spa: string, tpa: string) =>
    `in_port=${inPort},arp,arp_op=1,dl_src=${srcMac},dl_dst=ff:ff:ff:ff:ff:ff,arp_sha=${srcMac},arp_spa=${spa},arp_tpa=${tpa},arp_tha=00:00:00:00:00:00`;

  beforeAll(async () => {
    ovs = await startOvs({ dummy: true });
    ofPort = await freePort();
    store = `embedded:${join(mkdtempSync(join(tmpdir(), 'arpresponder-')), 'store')}`;
    ctl = await startArpController({ store, openflowPort: ofPort, ovsdb: `unix:${ovs.dbSock}` });
    await ovs.addBridge('br0', { controllerPort: ofPort, protocols: 'OpenFlow13' });
    dpid = toDatapathId((await ovs.vsctl('get', 'bridge', 'br0', 'datapath_id')).trim());
    await ctl.call('createphysicalnetwork', { id: 'pn', type: 'vlan', vlanrange: [[100, 199]] });
    for (const [n, cidr, gw] of [
      ['n1', '10.1.0.0/24', '10.1.0.1'],
      ['n2', '10.2.0.0/24', '10.2.0.1'],
    ] as const) {
      const [net] = (await ctl.call('createlogicalnetwork', { id: n, physicalnetwork: 'pn' })) as {
        nwid: number;
      }[];
      nwid[n] = net!.nwid;
      await ctl.call('createsubnet', { id: `s-${n}`, logicalnetwork: n, cidr, gateway: gw });
    }
    await ctl.call('createlogicalports', {
      ports: [
        { id: 'lp1', logicalnetwork: 'n1', subnet: 's-n1', mac_address: MAC1, ip_address: '10.1.0.11' },
        { id: 'lp2', logicalnetwork: 'n1', subnet: 's-n1', mac_address: MAC2, ip_address: '10.1.0.12' },
        { id: 'lp3', logicalnetwork: 'n2', subnet: 's-n2', mac_address: MAC3, ip_address: '10.2.0.13' },
      ],
    });
    await ovs.vsctl(
      'add-port',
      'br0',
      'p1',
      '--',
      'set',
      'interface',
      'p1',
      'ofport_request=1',
      'external_ids:iface-id=lp1',
    );
    await until(async () => (await arpTable()).some((l) => l.includes('arp_tpa=10.1.0.12')), 'n1 flows');
  }, 60_000);

  afterAll(async () => {
    await ctl?.runtime.stop();
  });

  /** The fields of the trace's final flow. */
  const finalFlow = (out: string) => {
    const line = out.split('\n').find((l) => l.startsWith('Final flow:'))!;
    return Object.fromEntries(
      line
        .slice('Final flow: '.length)
        .split(',')
        .filter((kv) => kv.includes('='))
        .map((kv) => kv.split('=') as [string, string]),
    );
  };
  const datapathActions = (out: string) => out.split('\n').find((l) => l.startsWith('Datapath actions:'))!;

  it('turns a request for a port of the same network into the reply, out of the in_port', async () => {
    standInIngress({ 1: 'n1' });
    await ctl.sync.idle(dpid);
    const out = await trace(request(1, MAC1, '10.1.0.11', '10.1.0.12'));
    expect(out).toContain('IN_PORT');
    expect(finalFlow(out)).toMatchObject({
      in_port: '1',
      dl_src: MAC2,
      dl_dst: MAC1,
      arp_op: '2',
      arp_spa: '10.1.0.12',
      arp_tpa: '10.1.0.11',
      arp_sha: MAC2,
      arp_tha: MAC1,
    });
    expect(datapathActions(out)).toContain(
      `set(arp(sip=10.1.0.12,tip=10.1.0.11,op=2,sha=${MAC2},tha=${MAC1}))`,
    );
  });

  it("answers a request for the subnet's gateway with the gateway MAC", async () => {
    const out = await trace(request(1, MAC1, '10.1.0.11', '10.1.0.1'));
    expect(finalFlow(out)).toMatchObject({
      dl_src: DEFAULT_GATEWAY_MAC,
      dl_dst: MAC1,
      arp_op: '2',
      arp_spa: '10.1.0.1',
      arp_sha: DEFAULT_GATEWAY_MAC,
    });
  });

  it("does not answer an address of another network, an unknown address, or a port's own address", async () => {
    for (const tpa of ['10.2.0.13', '10.1.0.99', '10.1.0.11']) {
      const out = await trace(request(1, MAC1, '10.1.0.11', tpa));
      // Unchanged, on through the pipeline (to l2output, which the l2 module fills).
      expect(finalFlow(out)).toMatchObject({ arp_op: '1', dl_src: MAC1, arp_tpa: tpa });
      expect(out).toContain(`${ctl.tables.number('l2output')}. No match.`);
    }
  });

  it('installs exactly the flows it declares: read back, they equal the compiled ones', async () => {
    const parts = await ctl.openflow.switch(dpid)!.connection.requestMultipart({
      type: 'flow_stats_request',
      flags: 0,
      tableId: ctl.tables.number('arp'),
      outPort: Port.ANY,
      outGroup: Group.ANY,
      cookie: FLOWSYNC_COOKIE | BigInt(nwid.n1!),
      cookieMask: ~0n & 0xffff_ffff_ffff_ffffn,
      match: { fields: [] },
    } as OutgoingMessage);
    const read = parts.flatMap((p) => (p.type === 'flow_stats_reply' && 'stats' in p ? p.stats : []));
    const declared = arpFlows(
      {
        nwid: nwid.n1!,
        owners: [
          { ip: '10.1.0.11' as Ipv4Address, mac: MAC1 as MacAddress, kind: 'port' },
          { ip: '10.1.0.12' as Ipv4Address, mac: MAC2 as MacAddress, kind: 'port' },
          { ip: '10.1.0.1' as Ipv4Address, mac: DEFAULT_GATEWAY_MAC, kind: 'gateway' },
        ],
      },
      { table: ctl.tables.number('arp') },
    );
    const key = (f: { table: number; priority: number; match: string; body: string; cookie: bigint }) =>
      `${f.table}/${f.priority}/${f.match}/${f.body}/${f.cookie}`;
    expect(read.map((s) => key(flowFromStats(s))).sort()).toEqual(declared.map(key).sort());
  });

  it('follows ports added and readdressed: only that network changes', async () => {
    const before = ctl.flowMods(dpid);
    await ctl.call('createlogicalport', {
      id: 'lp4',
      logicalnetwork: 'n1',
      subnet: 's-n1',
      ip_address: '10.1.0.14',
    });
    await until(async () => (await arpTable()).some((l) => l.includes('arp_tpa=10.1.0.14')), 'lp4 flows');
    await ctl.sync.idle(dpid);
    expect(ctl.flowMods(dpid) - before).toBe(2); // its answer and its own-address pass

    const mid = ctl.flowMods(dpid);
    await ctl.call('updatelogicalport', { id: 'lp2', ip_address: '10.1.0.22' });
    await until(async () => (await arpTable()).some((l) => l.includes('arp_tpa=10.1.0.22')), 'readdressed');
    await ctl.sync.idle(dpid);
    const flows = await arpTable();
    expect(flows.some((l) => l.includes('arp_tpa=10.1.0.12'))).toBe(false);
    expect(ctl.flowMods(dpid) - mid).toBe(4); // two removed, two added
    expect(finalFlow(await trace(request(1, MAC1, '10.1.0.11', '10.1.0.22')))).toMatchObject({
      dl_src: MAC2,
      arp_op: '2',
      arp_spa: '10.1.0.22',
    });

    await ctl.call('deletelogicalport', { id: 'lp4' });
    await until(async () => !(await arpTable()).some((l) => l.includes('arp_tpa=10.1.0.14')), 'lp4 gone');
  });

  it('declares a network on a datapath only while one of its ports is bound there', async () => {
    const n2 = `metadata=0x${nwid.n2!.toString(16)},`;
    expect((await arpTable()).some((l) => l.includes(n2))).toBe(false);
    await ovs.vsctl(
      'add-port',
      'br0',
      'p3',
      '--',
      'set',
      'interface',
      'p3',
      'ofport_request=3',
      'external_ids:iface-id=lp3',
    );
    await until(
      async () => (await arpTable()).some((l) => l.includes(n2) && l.includes('arp_tpa=10.2.0.1,')),
      'n2 flows',
    );
    standInIngress({ 1: 'n1', 3: 'n2' });
    await ctl.sync.idle(dpid);
    // From n2, n1's addresses are unknown; n2's gateway answers.
    expect(finalFlow(await trace(request(3, MAC3, '10.2.0.13', '10.1.0.11')))).toMatchObject({ arp_op: '1' });
    expect(finalFlow(await trace(request(3, MAC3, '10.2.0.13', '10.2.0.1')))).toMatchObject({
      arp_op: '2',
      dl_dst: MAC3,
      dl_src: DEFAULT_GATEWAY_MAC,
    });
    await ovs.vsctl('del-port', 'br0', 'p3');
    await until(async () => !(await arpTable()).some((l) => l.includes(n2)), 'n2 flows withdrawn');
  });

  it('works port first, API call later', async () => {
    const n2 = `metadata=0x${nwid.n2!.toString(16)},`;
    await ovs.vsctl(
      'add-port',
      'br0',
      'p5',
      '--',
      'set',
      'interface',
      'p5',
      'ofport_request=5',
      'external_ids:iface-id=lp5',
    );
    await ctl.call('createlogicalport', {
      id: 'lp5',
      logicalnetwork: 'n2',
      subnet: 's-n2',
      ip_address: '10.2.0.15',
    });
    await until(
      async () => (await arpTable()).some((l) => l.includes(n2) && l.includes('arp_tpa=10.2.0.15')),
      'lp5 flows',
    );
    expect((await arpTable()).some((l) => l.includes(n2) && l.includes('arp_tpa=10.2.0.13'))).toBe(true);
    await ovs.vsctl('del-port', 'br0', 'p5');
    await until(async () => !(await arpTable()).some((l) => l.includes(n2)), 'n2 flows withdrawn');
  });

  it('passes on requests from ports that are not logical ports (physical, tunnel)', async () => {
    await ovs.vsctl('add-port', 'br0', 'eth9', '--', 'set', 'interface', 'eth9', 'ofport_request=9');
    await until(
      async () => (await arpTable()).some((l) => l.includes('priority=120,arp,in_port=9')),
      'uplink flow',
    );
    standInIngress({ 1: 'n1', 9: 'n1' });
    await ctl.sync.idle(dpid);
    const out = await trace(request(9, '02:00:00:00:09:09', '10.1.0.200', '10.1.0.11'));
    expect(finalFlow(out)).toMatchObject({ arp_op: '1', arp_tpa: '10.1.0.11' });
    await ovs.vsctl('del-port', 'br0', 'eth9');
    await until(async () => !(await arpTable()).some((l) => l.includes('in_port=9')), 'uplink flow gone');
  });
});
