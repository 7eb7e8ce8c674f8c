/**
 * Attaching a subnet to a virtual router (vrouterapi sets the subnet's `router`) changes no
 * DHCP answer, so dhcpserver redeclares nothing for the subnet's ports; a subnet change that
 * does change answers is served at once, still without a flow-mod (the flow carries only
 * the port's MAC and network). Oracles: the frames the dummy port transmits, FlowSync's count
 * of flow-mods sent, `dump-flows`.
 */
import { join } from 'node:path';
import {
  DhcpMessageType,
  type DhcpOption,
  decodeFrame,
  parseMacAddress,
} from '../../../../src/openflow/packet';
import { type DatapathId, toDatapathId } from '../../../../src/openflow/protocol';
import { cleanupAll, type OvsInstance, ofport, startOvs } from '../../../harness';
import { clientFrame } from '../../../unit/modules/dhcp-server/client-frames';
import { type DhcpController, startDhcpController, until } from './env';
import { readPcap } from './pcap';

afterAll(cleanupAll);

const MAC = parseMacAddress('02:00:00:00:02:01');

/** Sends a DISCOVER into `port` and returns the options of the next DHCP reply it transmits. */
async function offerOptions(ovs: OvsInstance, port: string): Promise<readonly DhcpOption[]> {
  const pcap = join(ovs.dir, `${port}-tx.pcap`);
  const before = (await readPcap(pcap)).length;
  await ovs.appctl(
    'netdev-dummy/receive',
    port,
    clientFrame({ type: DhcpMessageType.DISCOVER, mac: MAC }).toString('hex'),
  );
  const reply = await until(async () => {
    const frames = await readPcap(pcap);
    return frames.slice(before).find((f) => decodeFrame(f).dhcp !== undefined);
  }, `a DHCP reply on ${port}`);
  return decodeFrame(reply).dhcp!.options;
}

describe('dhcpserver and a virtual router attached to the subnet', () => {
  let ovs: OvsInstance;
  let c: DhcpController;
  let dpid: DatapathId;

  beforeAll(async () => {
    ovs = await startOvs({ dummy: true, systemId: 'dhcp-router-host' });
    c = await startDhcpController(`unix:${ovs.dbSock}`);
    await ovs.addBridge('br0', { controllerPort: c.port, protocols: 'OpenFlow13' });
    dpid = toDatapathId(await ovs.vsctl('get', 'bridge', 'br0', 'datapath_id'));
  });

  afterAll(async () => {
    await c?.stop();
  });

  it('attaching the router changes no answer and no flow; a DNS change is served without a flow-mod', async () => {
    await c.call('createphysicalnetwork', { id: 'phy', type: 'vlan', vlanrange: [[100, 200]] });
    const [ln] = (await c.call('createlogicalnetwork', { id: 'ln1', physicalnetwork: 'phy' })) as {
      nwid: number;
    }[];
    await c.call('createsubnet', {
      id: 's1',
      logicalnetwork: 'ln1',
      cidr: '10.30.0.0/24',
      gateway: '10.30.0.1',
      dns_nameservers: ['10.0.0.53'],
      host_routes: [['172.16.0.0/12', '10.30.0.254']],
    });
    await c.call('createlogicalport', {
      id: 'lp1',
      logicalnetwork: 'ln1',
      subnet: 's1',
      mac_address: MAC,
      ip_address: '10.30.0.11',
    });
    await ovs.vsctl(
      'add-port',
      'br0',
      'p1',
      '--',
      'set',
      'interface',
      'p1',
      'type=dummy',
      'external_ids:iface-id=lp1',
      `options:tx_pcap=${join(ovs.dir, 'p1-tx.pcap')}`,
    );
    const p1 = await ofport(ovs, 'p1');
    c.ingress(dpid, p1, ln!.nwid);
    const table = c.tables.number('dhcp');
    const dhcpFlows = async () =>
      (await ovs.ofctl('--no-stats', '-O', 'OpenFlow13', 'dump-flows', 'br0', `table=${table}`))
        .split('\n')
        .filter((l) => l.includes('priority=100'));
    const flows = await until(async () => {
      const f = await dhcpFlows();
      return f.length === 1 ? f : undefined;
    }, 'the dhcp flow of p1');
    const before = await offerOptions(ovs, 'p1');
    const flowMods = async () => {
      await c.sync.idle(dpid);
      return c.sync.status().find((st) => st.datapathId === dpid)!.flowMods;
    };
    const mods0 = await flowMods();

    await c.callRouter('createvirtualrouter', { id: 'r1' });
    await c.callRouter('addrouterinterface', { router: 'r1', subnet: 's1', id: 'if1' });
    // A later change the answers do show: once it is served, the attach was handled too
    // (one store watch applies commits in order).
    await c.call('updatesubnet', { id: 's1', dns_nameservers: ['10.0.0.54'] });
    const after = await until(async () => {
      const o = await offerOptions(ovs, 'p1');
      return o.find((x) => x.kind === 'dnsServers')?.value[0] === '10.0.0.54' ? o : undefined;
    }, 'the new DNS server offered');

    const withoutDns = (o: readonly DhcpOption[]) => o.filter((x) => x.kind !== 'dnsServers');
    expect(withoutDns(after)).toEqual(withoutDns(before));
    expect(before.find((x) => x.kind === 'routers')?.value).toEqual(['10.30.0.1']);
    expect(await flowMods()).toBe(mods0);
    expect(await dhcpFlows()).toEqual(flows);
  });
});
