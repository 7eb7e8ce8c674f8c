/**
 * ovs-ofctl as an independent encoder: every message it sends to a fake OpenFlow 1.3 switch
 * must decode with `ofp13Message` and encode back to the very same bytes, and the decoded
 * fields must be the ones given on the command line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAll, encodeToBuffer } from '../../../../src/openflow/codec';
import { unwrapBundle } from '../../../../src/openflow/v13/bundle-message';
import { type Ofp13Message, ofp13Message } from '../../../../src/openflow/v13/message';
import { type FakeSwitch13, ofctl13, startFakeSwitch13 } from './fake-switch';

let sw: FakeSwitch13;
let dir: string;
beforeAll(async () => {
  sw = await startFakeSwitch13();
  dir = mkdtempSync(join(tmpdir(), 'of13-'));
});
afterAll(async () => {
  await sw.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs ovs-ofctl, then decodes and re-encodes every message it sent. */
async function sent(...args: string[]): Promise<Ofp13Message[]> {
  const before = sw.received.length;
  const r = await ofctl13(sw, ...args);
  if (r.code !== 0) throw new Error(`ovs-ofctl ${args.join(' ')}: ${r.output}`);
  return sw.received.slice(before).map((bytes) => {
    const m = decodeAll(ofp13Message, bytes);
    expect(encodeToBuffer(ofp13Message, m).toString('hex')).toBe(bytes.toString('hex'));
    return m;
  });
}

function only<T extends Ofp13Message['type']>(
  ms: Ofp13Message[],
  type: T,
): Extract<Ofp13Message, { type: T }> {
  const found = ms.filter((m) => m.type === type);
  expect(found).toHaveLength(1);
  return found[0] as Extract<Ofp13Message, { type: T }>;
}

describe('messages ovs-ofctl sends decode and re-encode byte for byte', () => {
  it('add-flow with the standard actions ovs-ofctl writes', async () => {
    const ms = await sent(
      'add-flow',
      'SWITCH',
      'table=1,priority=10,cookie=0x123456789abcdef0,idle_timeout=5,hard_timeout=50,send_flow_rem,' +
        'ip,nw_src=10.0.0.0/8,tcp,tp_dst=80,' +
        'actions=mod_dl_dst:02:00:00:00:00:01,push_vlan:0x8100,set_field:5->vlan_vid,pop_vlan,' +
        'push_mpls:0x8847,set_mpls_ttl(9),dec_mpls_ttl,pop_mpls:0x0800,dec_ttl,mod_nw_ttl(7),' +
        'set_queue:3,group:4,output:3,controller:200',
    );
    const fm = only(ms, 'flow_mod');
    expect(fm).toMatchObject({ tableId: 1, priority: 10, idleTimeout: 5, hardTimeout: 50, flags: 1 });
    expect(fm.cookie).toBe(0x123456789abcdef0n);
    expect(fm.instructions).toHaveLength(1);
    const apply = fm.instructions[0]!;
    expect(apply.type).toBe('apply_actions');
    if (apply.type !== 'apply_actions') return;
    expect(apply.actions.map((a) => a.type)).toEqual([
      'set_field',
      'push_vlan',
      'set_field',
      'pop_vlan',
      'push_mpls',
      'set_mpls_ttl',
      'dec_mpls_ttl',
      'pop_mpls',
      'dec_nw_ttl',
      'set_nw_ttl',
      'set_queue',
      'group',
      'output',
      'output',
    ]);
    expect(apply.actions.at(-1)).toEqual({ type: 'output', port: 0xfffffffd, maxLen: 200 });
    expect(apply.actions.find((a) => a.type === 'set_mpls_ttl')).toEqual({
      type: 'set_mpls_ttl',
      mplsTtl: 9,
    });
    expect(apply.actions.find((a) => a.type === 'group')).toEqual({ type: 'group', groupId: 4 });
  });

  it('add-flow with instructions: meter, write_metadata, write/clear actions, goto_table', async () => {
    const ms = await sent(
      'add-flow',
      'SWITCH',
      'in_port=1,actions=meter:2,clear_actions,write_actions(output:5),' +
        'write_metadata:0x1234/0xffff,goto_table:3',
    );
    const fm = only(ms, 'flow_mod');
    expect(fm.instructions).toEqual([
      { type: 'meter', meterId: 2 },
      { type: 'clear_actions' },
      { type: 'write_actions', actions: [{ type: 'output', port: 5, maxLen: 0 }] },
      { type: 'write_metadata', metadata: 0x1234n, metadataMask: 0xffffn },
      { type: 'goto_table', tableId: 3 },
    ]);
  });

  it('add-flow with Nicira actions (experimenter actions)', async () => {
    const ms = await sent(
      'add-flow',
      'SWITCH',
      'ip,actions=resubmit(,3),load:0x5->NXM_NX_REG0[],note:01.02.03,ct(commit,zone=5),output:1',
    );
    const fm = only(ms, 'flow_mod');
    const apply = fm.instructions[0]!;
    if (apply.type !== 'apply_actions') throw new Error('no apply_actions');
    expect(apply.actions).toHaveLength(5);
    expect(apply.actions.at(-1)).toEqual({ type: 'output', port: 1, maxLen: 0 });
  });

  it('mod-flows, del-flows, strict del', async () => {
    const mod = only(await sent('mod-flows', 'SWITCH', 'cookie=0x5/-1,table=2,actions=output:4'), 'flow_mod');
    expect(mod).toMatchObject({ command: 1, tableId: 2, cookieMask: 0xffffffffffffffffn });
    const del = only(await sent('del-flows', 'SWITCH', 'out_port=7'), 'flow_mod');
    expect(del).toMatchObject({ command: 3, tableId: 0xff, outPort: 7, outGroup: 0xffffffff });
    const strict = only(await sent('--strict', 'del-flows', 'SWITCH', 'priority=5,in_port=1'), 'flow_mod');
    expect(strict).toMatchObject({ command: 4, priority: 5 });
  });

  it('flow-mods in a bundle (ONF extension on 1.3)', async () => {
    const file = join(dir, 'flows.txt');
    writeFileSync(file, 'priority=1,in_port=1,actions=output:2\npriority=2,in_port=2,actions=output:1\n');
    const ms = await sent('--bundle', 'add-flows', 'SWITCH', file);
    const types = ms.map((m) => m.type);
    expect(types).toEqual(
      expect.arrayContaining(['bundle_open_request', 'bundle_add', 'bundle_commit_request']),
    );
    const adds = ms.filter((m) => m.type === 'bundle_add');
    expect(adds).toHaveLength(2);
    const inner = adds.map((a) => (a.type === 'bundle_add' ? unwrapBundle(a) : a));
    expect(inner.map((m) => m.type)).toEqual(['flow_mod', 'flow_mod']);
    expect(inner.map((m) => (m.type === 'flow_mod' ? m.priority : -1))).toEqual([1, 2]);
    const open = only(ms, 'bundle_open_request');
    expect(adds.every((a) => a.type === 'bundle_add' && a.bundleId === open.bundleId)).toBe(true);
  });

  it('groups: add (select with weights, fast failover with watch), mod, del', async () => {
    const add = only(
      await sent(
        'add-group',
        'SWITCH',
        'group_id=7,type=select,bucket=weight:10,actions=output:1,bucket=weight:20,actions=set_field:3->ip_dscp,output:2',
      ),
      'group_mod',
    );
    expect(add).toMatchObject({ command: 0, groupType: 1, groupId: 7 });
    expect(add.buckets.map((b) => b.weight)).toEqual([10, 20]);
    const ff = only(
      await sent('add-group', 'SWITCH', 'group_id=8,type=ff,bucket=watch_port:5,actions=output:5'),
      'group_mod',
    );
    expect(ff).toMatchObject({
      groupType: 3,
      buckets: [{ watchPort: 5, actions: [{ type: 'output', port: 5 }] }],
    });
    expect(
      only(await sent('mod-group', 'SWITCH', 'group_id=7,type=all,bucket=output:3'), 'group_mod'),
    ).toMatchObject({ command: 1, groupType: 0 });
    expect(only(await sent('del-groups', 'SWITCH', 'group_id=7'), 'group_mod')).toMatchObject({
      command: 2,
      groupId: 7,
      buckets: [],
    });
  });

  it('meters: add with drop and dscp_remark bands, mod, del', async () => {
    const add = only(
      await sent(
        'add-meter',
        'SWITCH',
        'meter=1,kbps,burst,stats,bands=type=drop,rate=100,burst_size=10,type=dscp_remark,rate=50,burst_size=5,prec_level=1',
      ),
      'meter_mod',
    );
    expect(add).toEqual({
      type: 'meter_mod',
      xid: add.xid,
      command: 0,
      flags: 1 | 4 | 8,
      meterId: 1,
      bands: [
        { type: 'drop', rate: 100, burstSize: 10 },
        { type: 'dscp_remark', rate: 50, burstSize: 5, precLevel: 1 },
      ],
    });
    expect(
      only(await sent('mod-meter', 'SWITCH', 'meter=1,pktps,bands=type=drop,rate=7'), 'meter_mod'),
    ).toMatchObject({ command: 1, flags: 2 });
    expect(only(await sent('del-meter', 'SWITCH', 'meter=1'), 'meter_mod')).toMatchObject({ command: 2 });
  });

  it('packet-out', async () => {
    const frame = `ffffffffffff0200000000010806${'00'.repeat(28)}`;
    const po = only(
      await sent('packet-out', 'SWITCH', `in_port=1 packet=${frame} actions=output:2`),
      'packet_out',
    );
    expect(po).toMatchObject({ bufferId: 0xffffffff, inPort: 1, actions: [{ type: 'output', port: 2 }] });
    expect(po.data.toString('hex')).toBe(frame);
  });

  it.each([
    [['dump-flows', 'SWITCH', 'table=3,in_port=1'], 'flow_stats_request'],
    [['dump-aggregate', 'SWITCH', 'ip'], 'aggregate_stats_request'],
    [['dump-tables', 'SWITCH'], 'table_stats_request'],
    [['dump-table-features', 'SWITCH'], 'table_features_request'],
    [['dump-ports', 'SWITCH', '3'], 'port_stats_request'],
    [['dump-ports-desc', 'SWITCH'], 'port_desc_request'],
    [['dump-groups', 'SWITCH'], 'group_desc_request'],
    [['dump-group-stats', 'SWITCH'], 'group_stats_request'],
    [['dump-group-features', 'SWITCH'], 'group_features_request'],
    [['dump-meters', 'SWITCH'], 'meter_config_request'],
    [['meter-stats', 'SWITCH'], 'meter_stats_request'],
    [['meter-features', 'SWITCH'], 'meter_features_request'],
    [['queue-stats', 'SWITCH'], 'queue_stats_request'],
    [['queue-get-config', 'SWITCH', '1'], 'queue_get_config_request'],
    [['dump-desc', 'SWITCH'], 'desc_request'],
    [['get-frags', 'SWITCH'], 'get_config_request'],
    [['set-frags', 'SWITCH', 'drop'], 'set_config'],
  ] as const)('%j sends %s', async (args, type) => {
    const ms = await sent(...args);
    expect(ms.map((m) => m.type)).toContain(type);
  });

  it('dump-flows and dump-ports carry the selection given', async () => {
    const fs = only(
      await sent('dump-flows', 'SWITCH', 'table=3,out_port=4,cookie=0x10/0xff'),
      'flow_stats_request',
    );
    expect(fs).toMatchObject({
      tableId: 3,
      outPort: 4,
      outGroup: 0xffffffff,
      cookie: 0x10n,
      cookieMask: 0xffn,
    });
    expect(only(await sent('dump-ports', 'SWITCH', '3'), 'port_stats_request')).toMatchObject({ portNo: 3 });
  });
});
