/**
 * Live against a private OVS (bridge speaking only OpenFlow 1.0, controller = this test): a
 * handshake with our codecs, features as OVS itself shows them, flow-mods checked with
 * `ovs-ofctl dump-flows`, and the replies OVS sends to every request decoded (and re-encoded
 * to the same bytes by the test controller).
 */

import type { MacAddress } from '../../../../src/openflow/packet';
import type { Ofp10Action } from '../../../../src/openflow/v10/action';
import {
  ErrorType,
  FlowModCommand,
  FlowModFlags,
  MessageType,
  NX_VENDOR_ID,
  NxRole,
  Port,
  PortConfig,
} from '../../../../src/openflow/v10/constants';
import {
  type Ofp10MatchSpec,
  ofp10Match,
  ofp10MatchSpec,
  parseIpv4Prefix,
} from '../../../../src/openflow/v10/match-spec';
import type { Ofp10Message } from '../../../../src/openflow/v10/message';
import { cleanupAll, type OvsInstance, startOvs } from '../../../harness';
import { startTestController, type TestController } from './test-controller';

let ovs: OvsInstance;
let ctl: TestController;
let xid = 100;
let nTables = 0;
const nextXid = () => ++xid;

const ofctl10 = (...args: string[]) => ovs.ofctl('-O', 'OpenFlow10', ...args);

beforeAll(async () => {
  ovs = await startOvs({ dummy: true });
  ctl = await startTestController();
  await ovs.addBridge('br0', { protocols: 'OpenFlow10' });
  await ovs.vsctl('add-port', 'br0', 'p1', '--', 'set', 'interface', 'p1', 'type=dummy', 'ofport_request=5');
  await ovs.vsctl('add-port', 'br0', 'p2', '--', 'set', 'interface', 'p2', 'type=dummy', 'ofport_request=6');
  await ovs.vsctl('set-controller', 'br0', `tcp:127.0.0.1:${ctl.port}`);
  await ctl.accepted();
});
afterAll(async () => {
  await ctl?.close();
  await cleanupAll();
});

async function barrier(): Promise<void> {
  const x = nextXid();
  const reply = await ctl.request({ type: 'barrier_request', xid: x });
  expect(reply).toEqual({ type: 'barrier_reply', xid: x });
}

function flowMod(
  command: number,
  spec: Ofp10MatchSpec,
  priority: number,
  actions: readonly Ofp10Action[],
  flags = 0,
): Extract<Ofp10Message, { type: 'flow_mod' }> {
  return {
    type: 'flow_mod',
    xid: nextXid(),
    match: ofp10Match(spec),
    cookie: 0x77n,
    command,
    idleTimeout: 0,
    hardTimeout: 0,
    priority,
    bufferId: 0xffffffff,
    outPort: Port.NONE,
    flags,
    actions,
  };
}

/** The flows `ovs-ofctl dump-flows` lists, without the counters that change. */
async function dumpFlows(): Promise<string[]> {
  const out = await ofctl10('dump-flows', 'br0');
  return out
    .split('\n')
    .filter((l) => l.includes('actions='))
    .map((l) =>
      l
        .trim()
        .replace(/duration=[^,]+, /, '')
        .replace(/n_packets=\d+, n_bytes=\d+, /, '')
        .replace(/idle_age=\d+, /, '')
        .replace(/table=0, /, ''),
    );
}

describe('OpenFlow 1.0 against OVS', () => {
  it('handshake: hello, features reply with the datapath id and ports OVS shows', async () => {
    const hello = await ctl.next('hello');
    expect(hello.version).toBe(1);
    ctl.send({ type: 'hello', version: 1, xid: nextXid(), elements: [] });
    const reply = await ctl.request({ type: 'features_request', xid: nextXid() });
    if (reply.type !== 'features_reply') throw new Error(`expected features_reply, got ${reply.type}`);

    const dpid = JSON.parse(await ovs.vsctl('get', 'bridge', 'br0', 'datapath_id')) as string;
    expect(reply.datapathId).toBe(BigInt(`0x${dpid}`));

    const shown = await ofctl10('show', 'br0');
    const ports = [...shown.matchAll(/^ (\d+|LOCAL)\(([^)]+)\): addr:(\S+)$/gm)].map(
      ([, no, name, addr]) => ({
        portNo: no === 'LOCAL' ? Port.LOCAL : Number(no),
        name,
        hwAddr: addr,
      }),
    );
    expect(ports.map((p) => p.name).sort()).toEqual(['br0', 'p1', 'p2']);
    const ours = reply.ports.map((p) => ({ portNo: p.portNo, name: p.name, hwAddr: p.hwAddr }));
    expect(ours.sort((a, b) => a.portNo - b.portNo)).toEqual(ports.sort((a, b) => a.portNo - b.portNo));
    expect(ours.map((p) => p.portNo).sort()).toEqual([5, 6, Port.LOCAL]);
    expect(shown).toContain(`n_tables:${reply.nTables}, n_buffers:${reply.nBuffers}`);
    nTables = reply.nTables;
  });

  it('flow-mod add / modify / delete, each closed by a barrier, as dump-flows shows', async () => {
    const spec: Ofp10MatchSpec = { inPort: 5, dlType: 0x0800, nwSrc: parseIpv4Prefix('10.0.0.0/24') };
    ctl.send(
      flowMod(FlowModCommand.ADD, spec, 100, [
        { type: 'set_vlan_vid', vlanVid: 10 },
        { type: 'set_dl_dst', dlAddr: '02:00:00:00:00:09' as MacAddress },
        { type: 'output', port: 6, maxLen: 0 },
      ]),
    );
    ctl.send(flowMod(FlowModCommand.ADD, { inPort: 6 }, 50, [{ type: 'output', port: 5, maxLen: 0 }]));
    await barrier();
    expect((await dumpFlows()).sort()).toEqual([
      'cookie=0x77, priority=100,ip,in_port=5,nw_src=10.0.0.0/24 actions=mod_vlan_vid:10,mod_dl_dst:02:00:00:00:00:09,output:6',
      'cookie=0x77, priority=50,in_port=6 actions=output:5',
    ]);

    ctl.send(flowMod(FlowModCommand.MODIFY, spec, 100, [{ type: 'output', port: Port.LOCAL, maxLen: 0 }]));
    await barrier();
    expect(await dumpFlows()).toContain(
      'cookie=0x77, priority=100,ip,in_port=5,nw_src=10.0.0.0/24 actions=LOCAL',
    );

    ctl.send(flowMod(FlowModCommand.DELETE_STRICT, spec, 100, []));
    await barrier();
    expect(await dumpFlows()).toEqual(['cookie=0x77, priority=50,in_port=6 actions=output:5']);
  });

  it('flow stats request: the reply lists what the switch holds', async () => {
    ctl.send(
      flowMod(FlowModCommand.ADD, { dlType: 0x0806, dlSrc: '02:00:00:00:00:01' as MacAddress }, 7, [
        { type: 'strip_vlan' },
        { type: 'output', port: Port.CONTROLLER, maxLen: 128 },
      ]),
    );
    await barrier();
    const x = nextXid();
    const reply = await ctl.request({
      type: 'flow_stats_request',
      xid: x,
      flags: 0,
      match: ofp10Match({}),
      tableId: 0xff,
      outPort: Port.NONE,
    });
    if (reply.type !== 'flow_stats_reply') throw new Error(`expected flow_stats_reply, got ${reply.type}`);
    const flows = reply.flows
      .map((f) => ({
        priority: f.priority,
        cookie: f.cookie,
        spec: ofp10MatchSpec(f.match),
        actions: f.actions,
      }))
      .sort((a, b) => a.priority - b.priority);
    expect(flows).toEqual([
      {
        priority: 7,
        cookie: 0x77n,
        spec: { dlType: 0x0806, dlSrc: '02:00:00:00:00:01' },
        actions: [{ type: 'strip_vlan' }, { type: 'output', port: Port.CONTROLLER, maxLen: 128 }],
      },
      { priority: 50, cookie: 0x77n, spec: { inPort: 6 }, actions: [{ type: 'output', port: 5, maxLen: 0 }] },
    ]);

    const agg = await ctl.request({
      type: 'aggregate_stats_request',
      xid: nextXid(),
      flags: 0,
      match: ofp10Match({}),
      tableId: 0xff,
      outPort: Port.NONE,
    });
    expect(agg).toMatchObject({ type: 'aggregate_stats_reply', flowCount: 2 });

    ctl.send(flowMod(FlowModCommand.DELETE, {}, 0, []));
    await barrier();
    expect(await dumpFlows()).toEqual([]);
  });

  it('other requests: config, desc/table/port/queue stats, port-desc, queue config, port-mod', async () => {
    ctl.send({ type: 'set_config', xid: nextXid(), flags: 0, missSendLen: 200 });
    expect(await ctl.request({ type: 'get_config_request', xid: nextXid() })).toMatchObject({
      type: 'get_config_reply',
      flags: 0,
      missSendLen: 200,
    });
    const desc = await ctl.request({ type: 'desc_stats_request', xid: nextXid(), flags: 0 });
    expect(desc).toMatchObject({ type: 'desc_stats_reply', mfrDesc: 'Nicira, Inc.', hwDesc: 'Open vSwitch' });
    const tables = await ctl.request({ type: 'table_stats_request', xid: nextXid(), flags: 0 });
    if (tables.type !== 'table_stats_reply') throw new Error(tables.type);
    expect(tables.tables).toHaveLength(nTables);
    expect(tables.tables.map((t) => t.tableId)).toEqual(Array.from({ length: nTables }, (_, i) => i));
    const ports = await ctl.request({
      type: 'port_stats_request',
      xid: nextXid(),
      flags: 0,
      portNo: Port.NONE,
    });
    if (ports.type !== 'port_stats_reply') throw new Error(ports.type);
    expect(ports.ports.map((p) => p.portNo).sort()).toEqual([5, 6, Port.LOCAL]);
    const portDesc = await ctl.request({ type: 'port_desc_stats_request', xid: nextXid(), flags: 0 });
    if (portDesc.type !== 'port_desc_stats_reply') throw new Error(portDesc.type);
    expect(portDesc.ports.map((p) => p.name).sort()).toEqual(['br0', 'p1', 'p2']);
    const queues = await ctl.request({
      type: 'queue_stats_request',
      xid: nextXid(),
      flags: 0,
      portNo: Port.ALL,
      queueId: 0xffffffff,
    });
    if (queues.type !== 'queue_stats_reply') throw new Error(queues.type);
    // Every port has OVS's default queue 0.
    expect(queues.queues.map((q) => [q.portNo, q.queueId]).sort()).toEqual([
      [5, 0],
      [6, 0],
      [Port.LOCAL, 0],
    ]);
    const qc = await ctl.request({ type: 'queue_get_config_request', xid: nextXid(), port: 5 });
    expect(qc).toMatchObject({ port: 5 });

    const p1 = portDesc.ports.find((p) => p.name === 'p1')!;
    ctl.send({
      type: 'port_mod',
      xid: nextXid(),
      portNo: p1.portNo,
      hwAddr: p1.hwAddr,
      config: PortConfig.NO_FLOOD,
      mask: PortConfig.NO_FLOOD,
      advertise: 0,
    });
    await barrier();
    expect(await ofctl10('show', 'br0')).toMatch(/5\(p1\): addr:\S+\n\s+config:\s+NO_FLOOD/);
  });

  it('asynchronous messages: port_status, packet_in, flow_removed', async () => {
    // A change made by another connection is reported to this controller.
    await ofctl10('mod-port', 'br0', 'p2', 'no-flood');
    const status = await ctl.next('port_status');
    expect(status).toMatchObject({ reason: 2, desc: { name: 'p2', portNo: 6 } });
    expect(status.desc.config & PortConfig.NO_FLOOD).toBe(PortConfig.NO_FLOOD);

    ctl.send({ type: 'set_config', xid: nextXid(), flags: 0, missSendLen: 0xffff });
    ctl.send(
      flowMod(FlowModCommand.ADD, { inPort: 5 }, 10, [
        { type: 'output', port: Port.CONTROLLER, maxLen: 0xffff },
      ]),
    );
    await barrier();
    const frame = `0200000000020200000000011234${'00'.repeat(46)}`;
    await ovs.appctl('netdev-dummy/receive', 'p1', frame);
    const pin = await ctl.next('packet_in');
    expect(pin).toMatchObject({ inPort: 5, reason: 1, totalLen: 60 });
    expect(pin.data.toString('hex')).toBe(frame);

    ctl.send(flowMod(FlowModCommand.ADD, { inPort: 6 }, 11, [], FlowModFlags.SEND_FLOW_REM));
    await barrier();
    ctl.send(flowMod(FlowModCommand.DELETE, {}, 0, []));
    await barrier();
    const removed = await ctl.next('flow_removed');
    expect(removed).toMatchObject({ priority: 11, cookie: 0x77n, reason: 2 });
    expect(ofp10MatchSpec(removed.match)).toEqual({ inPort: 6 });
  });

  it('a bad request gets an error that names it', async () => {
    const bad = flowMod(FlowModCommand.ADD, { inPort: 5 }, 1, [
      { type: 'vendor', vendor: 0x00abcdef, data: Buffer.alloc(8) },
    ]);
    // The barrier after it bounds the wait: OVS answers in order, so the error comes first.
    const replies = [ctl.request(bad), barrier().then(() => 'barrier' as const)];
    const reply = await Promise.race(replies);
    if (reply === 'barrier' || reply.type !== 'error')
      throw new Error('expected an error before the barrier reply');
    expect([reply.errType, reply.code]).toEqual([ErrorType.BAD_ACTION, 2]); // OFPBAC_BAD_VENDOR
    expect(reply.data[1]).toBe(MessageType.FLOW_MOD);
    expect(reply.data.readUInt32BE(4)).toBe(bad.xid);
    await replies[1];
    const echo = await ctl.request({ type: 'echo_request', xid: nextXid(), data: Buffer.from('ping') });
    expect(echo).toMatchObject({ type: 'echo_reply', data: Buffer.from('ping') });

    // An error 1.0 has no code for comes as a Nicira vendor error: bad role is NX (1, 513).
    const badRole = await ctl.request({ type: 'nx_role_request', xid: nextXid(), role: 7 });
    expect(badRole).toMatchObject({
      type: 'error_vendor',
      vendor: NX_VENDOR_ID,
      vendorType: 1,
      vendorCode: 513,
    });
  });

  it('Nicira vendor messages: role request, flow-mod table id', async () => {
    const role = await ctl.request({ type: 'nx_role_request', xid: nextXid(), role: NxRole.MASTER });
    expect(role).toMatchObject({ type: 'nx_role_reply', role: NxRole.MASTER });
    ctl.send({ type: 'nx_flow_mod_table_id', xid: nextXid(), set: 1 });
    await barrier();
  });

  it('every message OVS sent decoded and re-encoded to the same bytes', () => {
    expect(ctl.received.length).toBeGreaterThan(15);
  });
});
