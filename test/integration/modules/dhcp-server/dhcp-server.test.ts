/**
 * dhcpserver against a private dummy OVS: the per-port flow in table `dhcp` (dump-flows and
 * ofproto/trace as oracles), and real packets: a client frame injected on a dummy port
 * (`netdev-dummy/receive`) goes through the stand-in ingress flow to the controller, and
 * the reply is read from the port's transmit pcap — what left the switch on the wire.
 */
import {
  DhcpMessageType,
  decodeFrame,
  dhcpOption,
  parseIpv4Address,
  parseMacAddress,
} from '../../../../src/openflow/packet';
import { type DatapathId, toDatapathId } from '../../../../src/openflow/protocol';
import { addDummyPort, cleanupAll, type OvsInstance, ofport, startOvs, txPcapPath } from '../../../harness';
import { clientFrame } from '../../../unit/modules/dhcp-server/client-frames';
import { type DhcpController, startDhcpController, until } from './env';
import { readPcap } from './pcap';

afterAll(cleanupAll);

const MAC1 = parseMacAddress('02:00:00:00:01:01');
const MAC2 = parseMacAddress('02:00:00:00:01:02');
const MAC3 = parseMacAddress('02:00:00:00:01:03');

async function addDummy(ovs: OvsInstance, name: string, lp: string): Promise<number> {
  await addDummyPort(ovs, name, { ifaceId: lp, txPcap: true });
  return ofport(ovs, name);
}

async function dhcpFlows(ovs: OvsInstance, table: number): Promise<string[]> {
  const out = await ovs.ofctl('--no-stats', '-O', 'OpenFlow13', 'dump-flows', 'br0', `table=${table}`);
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.includes('priority=100'));
}

/** Sends a client frame into `port` and returns the next DHCP reply the port transmits. */
async function exchange(ovs: OvsInstance, port: string, frame: Buffer) {
  const pcap = txPcapPath(ovs, port);
  const before = (await readPcap(pcap)).length;
  await ovs.appctl('netdev-dummy/receive', port, frame.toString('hex'));
  const reply = await until(async () => {
    const frames = await readPcap(pcap);
    return frames.slice(before).find((f) => decodeFrame(f).dhcp !== undefined);
  }, `a DHCP reply on ${port}`);
  return decodeFrame(reply);
}

describe('dhcpserver on a private OVS', () => {
  let ovs: OvsInstance;
  let c: DhcpController;
  let dpid: DatapathId;
  let nwid: number;
  let table: number;

  beforeAll(async () => {
    ovs = await startOvs({ dummy: true, systemId: 'dhcp-host' });
    c = await startDhcpController(`unix:${ovs.dbSock}`, { leasetime: 7200 });
    await ovs.addBridge('br0', { controllerPort: c.port, protocols: 'OpenFlow13' });
    dpid = toDatapathId(await ovs.vsctl('get', 'bridge', 'br0', 'datapath_id'));
    table = c.tables.number('dhcp');
    await c.call('createphysicalnetwork', { id: 'phy', type: 'vlan', vlanrange: [[100, 200]] });
    const [ln] = (await c.call('createlogicalnetwork', {
      id: 'ln1',
      physicalnetwork: 'phy',
      dns_nameservers: ['10.0.0.53'],
      domain_name: 'example.test',
      mtu: 1450,
    })) as { nwid: number }[];
    nwid = ln!.nwid;
    await c.call('createsubnet', {
      id: 's1',
      logicalnetwork: 'ln1',
      cidr: '10.20.0.0/24',
      gateway: '10.20.0.1',
      host_routes: [['172.16.0.0/12', '10.20.0.254']],
    });
    await c.call('createlogicalports', {
      ports: [
        { id: 'lp1', logicalnetwork: 'ln1', subnet: 's1', mac_address: MAC1, ip_address: '10.20.0.11' },
        // No subnet, no address: the server must stay out of its way.
        { id: 'lp2', logicalnetwork: 'ln1', mac_address: MAC2 },
      ],
    });
  });

  afterAll(async () => {
    await c?.stop();
  });

  it('declares one flow per port with an address, and the pipeline sends its DHCP to the controller', async () => {
    const p1 = await addDummy(ovs, 'p1', 'lp1');
    const p2 = await addDummy(ovs, 'p2', 'lp2');
    c.ingress(dpid, p1, nwid);
    c.ingress(dpid, p2, nwid);
    const flows = await until(async () => {
      const f = await dhcpFlows(ovs, table);
      return f.length > 0 ? f : undefined;
    }, 'the dhcp flow');
    expect(flows).toEqual([
      `cookie=0x564c${nwid.toString(16).padStart(12, '0')}, table=${table}, priority=100,udp,in_port=${p1},dl_src=${MAC1},tp_src=68,tp_dst=67 actions=CONTROLLER:65535`,
    ]);
    const trace = await ovs.appctl(
      'ofproto/trace',
      'br0',
      `udp,in_port=${p1},dl_src=${MAC1},dl_dst=ff:ff:ff:ff:ff:ff,nw_src=0.0.0.0,nw_dst=255.255.255.255,udp_src=68,udp_dst=67`,
    );
    expect(trace).toMatch(/CONTROLLER:65535/);
    // The port without an address: its DHCP passes on through the table's miss.
    const trace2 = await ovs.appctl(
      'ofproto/trace',
      'br0',
      `udp,in_port=${p2},dl_src=${MAC2},dl_dst=ff:ff:ff:ff:ff:ff,nw_src=0.0.0.0,nw_dst=255.255.255.255,udp_src=68,udp_dst=67`,
    );
    expect(trace2).not.toMatch(/CONTROLLER/);
    // A spoofed source MAC on p1 is not sent up either.
    const trace3 = await ovs.appctl(
      'ofproto/trace',
      'br0',
      `udp,in_port=${p1},dl_src=${MAC2},dl_dst=ff:ff:ff:ff:ff:ff,nw_src=0.0.0.0,nw_dst=255.255.255.255,udp_src=68,udp_dst=67`,
    );
    expect(trace3).not.toMatch(/CONTROLLER/);
  });

  it('answers DISCOVER with an OFFER and REQUEST with an ACK, out of the client port', async () => {
    const offer = await exchange(
      ovs,
      'p1',
      clientFrame({ type: DhcpMessageType.DISCOVER, mac: MAC1, xid: 0x01020304 }),
    );
    expect(offer.ethernet).toMatchObject({ dst: MAC1, src: '1a:23:67:59:63:33' });
    expect(offer.ipv4).toMatchObject({ src: '10.20.0.1', dst: '10.20.0.11' });
    const o = offer.dhcp!;
    expect(o).toMatchObject({ op: 2, xid: 0x01020304, yiaddr: '10.20.0.11', chaddr: MAC1 });
    expect(dhcpOption(o, 'messageType')?.value).toBe(DhcpMessageType.OFFER);
    expect(dhcpOption(o, 'serverId')?.value).toBe('10.20.0.1');
    expect(dhcpOption(o, 'subnetMask')?.value).toBe('255.255.255.0');
    expect(dhcpOption(o, 'routers')?.value).toEqual(['10.20.0.1']);
    expect(dhcpOption(o, 'dnsServers')?.value).toEqual(['10.0.0.53']);
    expect(dhcpOption(o, 'domainName')?.value).toBe('example.test');
    expect(dhcpOption(o, 'mtu')?.value).toBe(1450);
    expect(dhcpOption(o, 'leaseTime')?.value).toBe(7200);
    expect(dhcpOption(o, 'classlessStaticRoutes')?.value).toEqual([
      { destination: '172.16.0.0', prefixLength: 12, router: '10.20.0.254' },
      { destination: '0.0.0.0', prefixLength: 0, router: '10.20.0.1' },
    ]);

    const ack = await exchange(
      ovs,
      'p1',
      clientFrame({
        type: DhcpMessageType.REQUEST,
        mac: MAC1,
        xid: 0x01020304,
        requested: parseIpv4Address('10.20.0.11'),
        serverId: parseIpv4Address('10.20.0.1'),
      }),
    );
    expect(dhcpOption(ack.dhcp!, 'messageType')?.value).toBe(DhcpMessageType.ACK);
    expect(ack.dhcp!.yiaddr).toBe('10.20.0.11');

    const nak = await exchange(
      ovs,
      'p1',
      clientFrame({ type: DhcpMessageType.REQUEST, mac: MAC1, requested: parseIpv4Address('10.20.0.99') }),
    );
    expect(dhcpOption(nak.dhcp!, 'messageType')?.value).toBe(DhcpMessageType.NAK);
    expect(nak.ethernet!.dst).toBe('ff:ff:ff:ff:ff:ff');
    expect(await c.runtime.call('dhcpserver', 'stats', {})).toMatchObject({ ports: 1, replies: 3 });

    // A broken DHCP payload (no magic cookie) is dropped; the server keeps answering.
    const good = clientFrame({ type: DhcpMessageType.DISCOVER, mac: MAC1 });
    const broken = Buffer.from(good);
    broken.writeUInt32BE(0xdeadbeef, 14 + 20 + 8 + 236);
    await ovs.appctl('netdev-dummy/receive', 'p1', broken.toString('hex'));
    await until(
      async () =>
        ((await c.runtime.call('dhcpserver', 'stats', {})) as { malformed: number }).malformed === 1,
      'the broken packet counted',
    );
    const again = await exchange(ovs, 'p1', good);
    expect(dhcpOption(again.dhcp!, 'messageType')?.value).toBe(DhcpMessageType.OFFER);
  });

  it('a port plugged in before its logical port exists is served once the API call creates it', async () => {
    const p4 = await addDummy(ovs, 'p4', 'lp4');
    c.ingress(dpid, p4, nwid);
    await c.bindings.waitForLogicalPort('lp4', { timeout: 60_000 });
    const before = await dhcpFlows(ovs, table);
    expect(before.some((f) => f.includes(`in_port=${p4},`))).toBe(false);
    await c.call('createlogicalport', {
      id: 'lp4',
      logicalnetwork: 'ln1',
      subnet: 's1',
      mac_address: '02:00:00:00:01:04',
      ip_address: '10.20.0.14',
    });
    await until(
      async () => (await dhcpFlows(ovs, table)).some((f) => f.includes(`in_port=${p4},`)),
      'the flow of p4',
    );
    const a = await exchange(
      ovs,
      'p4',
      clientFrame({ type: DhcpMessageType.DISCOVER, mac: parseMacAddress('02:00:00:00:01:04') }),
    );
    expect(a.dhcp!.yiaddr).toBe('10.20.0.14');
    await ovs.vsctl('del-port', 'br0', 'p4');
    await c.call('deletelogicalport', { id: 'lp4' });
    await until(
      async () => !(await dhcpFlows(ovs, table)).some((f) => f.includes(`in_port=${p4},`)),
      'the flow of p4 withdrawn',
    );
  });

  it('follows the store and the switch: a changed address is served, a new port gets only its flow', async () => {
    const flowMods = async () => {
      await c.sync.idle(dpid);
      return c.sync.status().find((st) => st.datapathId === dpid)!.flowMods;
    };
    const mods0 = await flowMods();
    await c.call('updatelogicalport', { id: 'lp1', ip_address: '10.20.0.12' });
    // The flow does not carry the address; the next answer does.
    const offer = await until(async () => {
      const r = await exchange(ovs, 'p1', clientFrame({ type: DhcpMessageType.DISCOVER, mac: MAC1 }));
      return r.dhcp!.yiaddr === '10.20.0.12' ? r : undefined;
    }, 'the new address offered');
    expect(offer.ipv4!.dst).toBe('10.20.0.12');
    expect(await flowMods()).toBe(mods0);

    const before = await dhcpFlows(ovs, table);
    await c.call('createlogicalport', {
      id: 'lp3',
      logicalnetwork: 'ln1',
      subnet: 's1',
      mac_address: MAC3,
      ip_address: '10.20.0.13',
    });
    const p3 = await addDummy(ovs, 'p3', 'lp3');
    c.ingress(dpid, p3, nwid);
    const after = await until(async () => {
      const f = await dhcpFlows(ovs, table);
      return f.length === 2 ? f : undefined;
    }, 'the second dhcp flow');
    expect(after).toContain(before[0]);
    expect(after.find((f) => f !== before[0])).toContain(`in_port=${p3},dl_src=${MAC3}`);
    const a = await exchange(ovs, 'p3', clientFrame({ type: DhcpMessageType.DISCOVER, mac: MAC3 }));
    expect(a.dhcp!.yiaddr).toBe('10.20.0.13');

    // The port goes away: its flow goes (one flow-mod), the other stays.
    const mods1 = await flowMods();
    await ovs.vsctl('del-port', 'br0', 'p1');
    const left = await until(async () => {
      const f = await dhcpFlows(ovs, table);
      return f.length === 1 ? f : undefined;
    }, 'p1 flow withdrawn');
    expect(left[0]).toContain(`in_port=${p3}`);
    expect(await flowMods()).toBe(mods1 + 1);
    // Deleting the logical port (its OVS port still there) withdraws its flow too.
    await c.call('deletelogicalport', { id: 'lp3' });
    await until(async () => ((await dhcpFlows(ovs, table)).length === 0 ? true : undefined), 'no dhcp flows');
  });
});
