/**
 * ovs-ofctl as an independent encoder: every message `ovs-ofctl -O OpenFlow10 ...` sends to a
 * fake switch must decode with ours into the values the command means, and re-encode to the
 * identical bytes. The fake switch answers with our encoder, so ovs-ofctl also reads our
 * replies (its printed output is checked where a command prints them).
 */
import fc from 'fast-check';
import { decodeAll, encodeToBuffer } from '../../../../src/openflow/codec';
import type { Ipv4Address, MacAddress } from '../../../../src/openflow/packet';
import type { Ofp10Action } from '../../../../src/openflow/v10/action';
import {
  FlowModCommand,
  FlowModFlags,
  NX_VENDOR_ID,
  Port,
  PortConfig,
} from '../../../../src/openflow/v10/constants';
import { ofp10Match, parseIpv4Prefix } from '../../../../src/openflow/v10/match-spec';
import { type Ofp10Message, ofp10Message } from '../../../../src/openflow/v10/message';
import { actionWithText } from '../../../unit/openflow/v10/arbitraries';
import { DEFAULT_STATE, type FakeSwitch, ofctl, startFakeSwitch } from './fake-switch';

let sw: FakeSwitch;
beforeAll(async () => {
  sw = await startFakeSwitch();
});
afterAll(() => sw.close());

/** Runs the command, checks every message it sent round-trips, returns them decoded. */
async function capture(...args: string[]): Promise<{ messages: Ofp10Message[]; output: string }> {
  const before = sw.received.length;
  const r = await ofctl(sw, ...args);
  if (r.code !== 0) throw new Error(`ovs-ofctl ${args.join(' ')} failed (${r.code}): ${r.output}`);
  const messages = sw.received.slice(before).map((bytes) => {
    const m = decodeAll(ofp10Message, bytes);
    expect(encodeToBuffer(ofp10Message, m).toString('hex')).toBe(bytes.toString('hex'));
    return m;
  });
  expect(messages.length).toBeGreaterThan(0);
  return { messages, output: r.output };
}

function only<T extends Ofp10Message['type']>(
  messages: readonly Ofp10Message[],
  type: T,
): Extract<Ofp10Message, { type: T }> {
  const found = messages.filter((m) => m.type === type);
  expect(found).toHaveLength(1);
  return found[0] as Extract<Ofp10Message, { type: T }>;
}

const mac = (s: string) => s as MacAddress;
const ip = (s: string) => s as Ipv4Address;

describe('flow-mods written by ovs-ofctl', () => {
  it('add-flow with every OpenFlow 1.0 action', async () => {
    const { messages } = await capture(
      'add-flow',
      'SWITCH',
      'cookie=0x5,priority=300,idle_timeout=10,hard_timeout=20,send_flow_rem,tcp,in_port=1,nw_src=10.0.0.0/8,' +
        'actions=mod_vlan_vid:5,mod_vlan_pcp:3,strip_vlan,mod_dl_src:02:00:00:00:00:0a,mod_dl_dst:02:00:00:00:00:0b,' +
        'mod_nw_src:192.168.1.1,mod_nw_dst:192.168.1.2,mod_nw_tos:32,mod_tp_src:80,mod_tp_dst:443,' +
        'enqueue:2:7,output:2,CONTROLLER:100,IN_PORT,NORMAL,FLOOD,ALL,LOCAL',
    );
    const expected: Ofp10Action[] = [
      { type: 'set_vlan_vid', vlanVid: 5 },
      { type: 'set_vlan_pcp', vlanPcp: 3 },
      { type: 'strip_vlan' },
      { type: 'set_dl_src', dlAddr: mac('02:00:00:00:00:0a') },
      { type: 'set_dl_dst', dlAddr: mac('02:00:00:00:00:0b') },
      { type: 'set_nw_src', nwAddr: ip('192.168.1.1') },
      { type: 'set_nw_dst', nwAddr: ip('192.168.1.2') },
      { type: 'set_nw_tos', nwTos: 32 },
      { type: 'set_tp_src', tpPort: 80 },
      { type: 'set_tp_dst', tpPort: 443 },
      { type: 'enqueue', port: 2, queueId: 7 },
      { type: 'output', port: 2, maxLen: 0 },
      { type: 'output', port: Port.CONTROLLER, maxLen: 100 },
      { type: 'output', port: Port.IN_PORT, maxLen: 0 },
      { type: 'output', port: Port.NORMAL, maxLen: 0 },
      { type: 'output', port: Port.FLOOD, maxLen: 0 },
      { type: 'output', port: Port.ALL, maxLen: 0 },
      { type: 'output', port: Port.LOCAL, maxLen: 0 },
    ];
    expect(only(messages, 'flow_mod')).toEqual({
      type: 'flow_mod',
      xid: expect.any(Number),
      match: ofp10Match({ inPort: 1, dlType: 0x0800, nwProto: 6, nwSrc: parseIpv4Prefix('10.0.0.0/8') }),
      cookie: 5n,
      command: FlowModCommand.ADD,
      idleTimeout: 10,
      hardTimeout: 20,
      priority: 300,
      bufferId: 0xffffffff,
      outPort: Port.NONE,
      flags: FlowModFlags.SEND_FLOW_REM,
      actions: expected,
    });
  });

  it('add-flow of random action lists: the actions decode to what the text says', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(actionWithText, { minLength: 1, maxLength: 6 }), async (acts) => {
        const text = acts.map(([, t]) => t).join(',');
        const { messages } = await capture('add-flow', 'SWITCH', `tcp,actions=${text}`);
        expect(only(messages, 'flow_mod').actions).toEqual(acts.map(([a]) => a));
      }),
      { numRuns: 25 },
    );
  });

  it('add-flow with a full match', async () => {
    const { messages } = await capture(
      'add-flow',
      'SWITCH',
      'udp,in_port=3,dl_vlan=100,dl_vlan_pcp=2,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02,' +
        'nw_src=10.1.2.3,nw_dst=10.0.0.0/16,nw_tos=8,tp_src=68,tp_dst=67,actions=drop',
    );
    const fm = only(messages, 'flow_mod');
    expect(fm.match).toEqual(
      ofp10Match({
        inPort: 3,
        dlVlan: 100,
        dlVlanPcp: 2,
        dlSrc: mac('02:00:00:00:00:01'),
        dlDst: mac('02:00:00:00:00:02'),
        dlType: 0x0800,
        nwProto: 17,
        nwSrc: parseIpv4Prefix('10.1.2.3'),
        nwDst: parseIpv4Prefix('10.0.0.0/16'),
        nwTos: 8,
        tpSrc: 68,
        tpDst: 67,
      }),
    );
    expect(fm.actions).toEqual([]);
  });

  it('add-flow with Nicira actions and a table id (NXT_FLOW_MOD_TABLE_ID first)', async () => {
    const { messages } = await capture(
      'add-flow',
      'SWITCH',
      'table=0,priority=5,actions=resubmit:3,resubmit(,2),note:0102030405,load:0x5->NXM_NX_REG0[],set_queue:5,pop_queue,output:1',
    );
    expect(only(messages, 'nx_flow_mod_table_id')).toEqual({
      type: 'nx_flow_mod_table_id',
      xid: expect.any(Number),
      set: 1,
    });
    const fm = only(messages, 'flow_mod');
    expect(fm.actions).toHaveLength(7);
    expect(fm.actions.slice(0, 6).every((a) => a.type !== 'vendor' && a.type.startsWith('nx_'))).toBe(true);
    expect(fm.actions[6]).toEqual({ type: 'output', port: 1, maxLen: 0 });
  });

  it.each([
    [['mod-flows', 'SWITCH', 'in_port=1,actions=output:3'], FlowModCommand.MODIFY, Port.NONE],
    [
      ['--strict', 'mod-flows', 'SWITCH', 'priority=5,in_port=1,actions=output:3'],
      FlowModCommand.MODIFY_STRICT,
      Port.NONE,
    ],
    [['del-flows', 'SWITCH', 'in_port=1'], FlowModCommand.DELETE, Port.NONE],
    [['del-flows', 'SWITCH', 'in_port=1,out_port=2'], FlowModCommand.DELETE, 2],
    [['--strict', 'del-flows', 'SWITCH', 'priority=5,in_port=1'], FlowModCommand.DELETE_STRICT, Port.NONE],
  ] as const)('%j', async (args, command, outPort) => {
    const { messages } = await capture(...args);
    const fm = only(messages, 'flow_mod');
    expect([fm.command, fm.outPort, fm.match]).toEqual([command, outPort, ofp10Match({ inPort: 1 })]);
    if (command === FlowModCommand.MODIFY || command === FlowModCommand.MODIFY_STRICT)
      expect(fm.actions).toEqual([{ type: 'output', port: 3, maxLen: 0 }]);
    expect(messages.at(-1)?.type).toBe('barrier_request');
  });
});

describe('other requests written by ovs-ofctl', () => {
  it('packet-out', async () => {
    const { messages } = await capture(
      'packet-out',
      'SWITCH',
      'in_port=1 packet=0200000000020200000000011234abcd actions=mod_vlan_vid:9,output:2',
    );
    expect(only(messages, 'packet_out')).toEqual({
      type: 'packet_out',
      xid: expect.any(Number),
      bufferId: 0xffffffff,
      inPort: 1,
      actions: [
        { type: 'set_vlan_vid', vlanVid: 9 },
        { type: 'output', port: 2, maxLen: 0 },
      ],
      data: Buffer.from('0200000000020200000000011234abcd', 'hex'),
    });
  });

  it('dump-flows (OpenFlow 1.0 flow format) prints the flows we report', async () => {
    sw.state = {
      ...DEFAULT_STATE,
      flows: [
        {
          tableId: 0,
          match: ofp10Match({ inPort: 1, dlType: 0x0806 }),
          durationSec: 12,
          durationNsec: 0,
          priority: 7,
          idleTimeout: 0,
          hardTimeout: 0,
          cookie: 0xabn,
          packetCount: 3n,
          byteCount: 180n,
          actions: [{ type: 'output', port: 2, maxLen: 0 }],
        },
      ],
    };
    try {
      const { messages, output } = await capture('-F', 'openflow10', 'dump-flows', 'SWITCH', 'in_port=1');
      expect(only(messages, 'flow_stats_request')).toEqual({
        type: 'flow_stats_request',
        xid: expect.any(Number),
        flags: 0,
        match: ofp10Match({ inPort: 1 }),
        tableId: 0xff,
        outPort: Port.NONE,
      });
      expect(output).toContain(
        'cookie=0xab, duration=12s, table=0, n_packets=3, n_bytes=180, priority=7,arp,in_port=1 actions=output:2',
      );
      const agg = await capture('-F', 'openflow10', 'dump-aggregate', 'SWITCH', 'out_port=2');
      expect(only(agg.messages, 'aggregate_stats_request')).toMatchObject({ tableId: 0xff, outPort: 2 });
      expect(agg.output).toContain('packet_count=3 byte_count=180 flow_count=1');
    } finally {
      sw.state = DEFAULT_STATE;
    }
  });

  it('dump-flows (NXM flow format): NXT_SET_FLOW_FORMAT, then a Nicira vendor stats request', async () => {
    const { messages } = await capture('dump-flows', 'SWITCH');
    expect(only(messages, 'nx_set_flow_format')).toEqual({
      type: 'nx_set_flow_format',
      xid: expect.any(Number),
      format: 2,
    });
    const req = only(messages, 'vendor_stats_request');
    expect([req.vendor, req.data.readUInt32BE(0)]).toEqual([NX_VENDOR_ID, 0]);
  });

  it('dump-ports / dump-ports-desc / dump-tables / dump-desc / queue-stats', async () => {
    sw.state = {
      ...DEFAULT_STATE,
      portStats: [
        {
          portNo: 1,
          rxPackets: 10n,
          txPackets: 20n,
          rxBytes: 1000n,
          txBytes: 2000n,
          rxDropped: 0n,
          txDropped: 0n,
          rxErrors: 0n,
          txErrors: 0n,
          rxFrameErr: 0n,
          rxOverErr: 0n,
          rxCrcErr: 0n,
          collisions: 0n,
        },
      ],
    };
    try {
      const ports = await capture('dump-ports', 'SWITCH', '1');
      expect(only(ports.messages, 'port_stats_request')).toMatchObject({ portNo: 1 });
      expect(ports.output).toContain('port  1: rx pkts=10, bytes=1000');
      const all = await capture('dump-ports', 'SWITCH');
      expect(only(all.messages, 'port_stats_request')).toMatchObject({ portNo: Port.NONE });
    } finally {
      sw.state = DEFAULT_STATE;
    }
    const desc = await capture('dump-ports-desc', 'SWITCH');
    only(desc.messages, 'port_desc_stats_request');
    expect(desc.output).toContain('1(p1): addr:02:00:00:00:00:01');
    expect(desc.output).toContain('LOCAL(br0): addr:02:00:00:00:00:fe');
    const tables = await capture('dump-tables', 'SWITCH');
    only(tables.messages, 'table_stats_request');
    expect(tables.output).toContain('table 0 ("classifier")');
    const d = await capture('dump-desc', 'SWITCH');
    only(d.messages, 'desc_stats_request');
    expect(d.output).toContain('Manufacturer: vlcp-ts');
    const q = await capture('queue-stats', 'SWITCH', '1', '5');
    expect(only(q.messages, 'queue_stats_request')).toMatchObject({ portNo: 1, queueId: 5 });
    const qa = await capture('queue-stats', 'SWITCH');
    expect(only(qa.messages, 'queue_stats_request')).toMatchObject({ portNo: Port.ALL, queueId: 0xffffffff });
  });

  it('queue-get-config prints the queues we report', async () => {
    sw.state = {
      ...DEFAULT_STATE,
      queues: [
        { queueId: 1, properties: [{ type: 'min_rate', rate: 500 }] },
        { queueId: 2, properties: [] },
      ],
    };
    try {
      const { messages, output } = await capture('queue-get-config', 'SWITCH', '1');
      expect(only(messages, 'queue_get_config_request')).toEqual({
        type: 'queue_get_config_request',
        xid: expect.any(Number),
        port: 1,
      });
      expect(output).toContain('queue 1: min_rate:50.0%');
      expect(output).toContain('queue 2:');
    } finally {
      sw.state = DEFAULT_STATE;
    }
  });

  it('mod-port uses the port address from our features reply', async () => {
    const { messages } = await capture('mod-port', 'SWITCH', 'p1', 'down');
    only(messages, 'features_request');
    expect(only(messages, 'port_mod')).toEqual({
      type: 'port_mod',
      xid: expect.any(Number),
      portNo: 1,
      hwAddr: '02:00:00:00:00:01',
      config: PortConfig.PORT_DOWN,
      mask: PortConfig.PORT_DOWN,
      advertise: 0,
    });
  });

  it('set-frags / get-frags / show / probe / ping', async () => {
    const set = await capture('set-frags', 'SWITCH', 'drop');
    expect(only(set.messages, 'set_config')).toMatchObject({ flags: 1 });
    const get = await capture('get-frags', 'SWITCH');
    only(get.messages, 'get_config_request');
    expect(get.output.trim()).toBe('drop');
    await capture('set-frags', 'SWITCH', 'normal');
    const show = await capture('show', 'SWITCH');
    only(show.messages, 'features_request');
    expect(show.output).toContain('OFPT_FEATURES_REPLY (xid=0x2): dpid:0000000000000001');
    expect(show.output).toContain(' 1(p1): addr:02:00:00:00:00:01');
    const probe = await capture('probe', 'SWITCH');
    only(probe.messages, 'echo_request');
    const ping = await capture('ping', 'SWITCH', '32');
    const echoes = ping.messages.filter((m) => m.type === 'echo_request');
    expect(echoes).toHaveLength(10);
    for (const e of echoes) if (e.type === 'echo_request') expect(e.data.length).toBe(32);
  });

  it('sends a hello that decodes as OpenFlow 1.0', async () => {
    const { messages } = await capture('probe', 'SWITCH');
    expect(messages[0]).toMatchObject({ type: 'hello', version: 1 });
  });
});
