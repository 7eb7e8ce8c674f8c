import { type Flow, type Flow13, flow13 } from '../../../../src/modules/flowsync';
import { buildMatch, ipv4Prefix } from '../../../../src/openflow/oxm';
import type { MacAddress } from '../../../../src/openflow/packet/mac-address';
import { type DatapathId, toDatapathId } from '../../../../src/openflow/protocol';
import { cleanupAll, freePort, type OvsInstance, startOvs } from '../../../harness';

import { type Controller, startController, until } from './controller';

afterAll(cleanupAll);

/** A few hundred flows of the kinds compilers write: masks, set_field, goto, metadata. */
function flows(n: number, variant = 0): Flow<Flow13>[] {
  const out: Flow<Flow13>[] = [];
  for (let i = 0; i < n; i++) {
    const mac =
      `02:00:00:00:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}` as MacAddress;
    out.push(
      flow13({
        table: i % 3,
        priority: 100 + (i % 7),
        match:
          i % 2 === 0
            ? buildMatch({ in_port: 1 + (i % 30), eth_src: mac })
            : buildMatch({ metadata: BigInt(i), ipv4_dst: ipv4Prefix(`10.${i >> 8}.${i & 255}.0/24`) }),
        instructions:
          i % 3 === 2
            ? [
                {
                  type: 'apply_actions',
                  actions: [{ type: 'output', port: 1 + ((i + variant) % 30), maxLen: 0 }],
                },
              ]
            : [
                { type: 'write_metadata', metadata: BigInt(i + variant), metadataMask: 0xffffffffn },
                {
                  type: 'apply_actions',
                  actions: [{ type: 'set_field', field: { field: 'eth_dst', value: mac } }],
                },
                { type: 'goto_table', tableId: (i % 3) + 1 },
              ],
        cookie: BigInt(i),
      } as Flow13),
    );
  }
  return out;
}

async function ovsFlows(ovs: OvsInstance): Promise<string[]> {
  const out = await ovs.ofctl('-O', 'OpenFlow13', 'dump-flows', 'br0');
  return out.split('\n').filter((l) => l.includes('priority='));
}

/** Seconds each of our flows has been installed, by "table/priority/match" text. */
async function durations(ovs: OvsInstance): Promise<Map<string, number>> {
  const m = new Map<string, number>();
  for (const l of await ovsFlows(ovs)) {
    if (!l.includes('cookie=0x564c')) continue;
    const d = /duration=([\d.]+)s/.exec(l)![1]!;
    m.set(l.replace(/ duration=[^,]+,| n_packets=\d+,| n_bytes=\d+,| idle_age=\d+,/g, ''), Number(d));
  }
  return m;
}

describe.each([true, false])('FlowSync against a private OVS (bundles: %s)', (bundles) => {
  let ovs: OvsInstance;
  let port: number;
  let ctl: Controller;
  let dpid: DatapathId;
  const N = 300;

  beforeAll(async () => {
    ovs = await startOvs({ dummy: true });
    port = await freePort();
    ctl = await startController(port, bundles);
    await ovs.addBridge('br0', { controllerPort: port, protocols: 'OpenFlow13' });
    dpid = toDatapathId((await ovs.vsctl('get', 'bridge', 'br0', 'datapath_id')).trim());
    await until(() => ctl.sync.status().find((s) => s.datapathId === dpid && s.connected), 'switch up');
  });
  afterAll(async () => {
    await ctl?.runtime.stop();
  });

  it('installs the declared flows and leaves foreign flows alone', async () => {
    await ovs.ofctl('-O', 'OpenFlow13', 'add-flow', 'br0', 'table=9,cookie=0x1,priority=5,actions=drop');
    ctl.sync.replace('test', dpid, flows(N));
    await ctl.sync.idle(dpid);
    const lines = await ovsFlows(ovs);
    expect(lines.filter((l) => l.includes('cookie=0x564c'))).toHaveLength(N);
    expect(lines.some((l) => l.includes('table=9') && l.includes('cookie=0x1,'))).toBe(true);
    const one = lines.find((l) => l.includes('cookie=0x564c000000000004,'))!;
    expect(one).toContain('in_port=5,dl_src=02:00:00:00:00:04');
    expect(one).toContain(
      'actions=set_field:02:00:00:00:00:04->eth_dst,write_metadata:0x4/0xffffffff,goto_table:2',
    );
  });

  it('sends one flow-mod for a one-flow change, and none for an unchanged redeclaration', async () => {
    const before = ctl.sync.status().find((s) => s.datapathId === dpid)!;
    ctl.sync.replace('test', dpid, flows(N));
    await ctl.sync.idle(dpid);
    expect(ctl.sync.status().find((s) => s.datapathId === dpid)!.flowMods).toBe(before.flowMods);
    const changed = flows(N);
    changed[2] = flows(3, 1)[2]!;
    ctl.sync.replace('test', dpid, changed);
    await ctl.sync.idle(dpid);
    expect(ctl.sync.status().find((s) => s.datapathId === dpid)!.flowMods).toBe(before.flowMods + 1);
    expect((await ovsFlows(ovs)).find((l) => l.includes('cookie=0x564c000000000002,'))).toContain(
      'actions=output:4',
    );
    ctl.sync.replace('test', dpid, flows(N));
    await ctl.sync.idle(dpid);
  });

  it('a changed body with the same cookie modifies the flow in place; a changed cookie replaces it', async () => {
    // OVS keeps a flow's duration on MODIFY_STRICT (and its cookie: 1.3 cannot modify one) and
    // restarts it on an ADD that replaces the flow: which one FlowSync sent shows in dump-flows.
    ctl.sync.replace('test', dpid, flows(N));
    await ctl.sync.idle(dpid);
    await new Promise((r) => setTimeout(r, 1100));
    const changed = flows(N);
    changed[2] = flows(3, 1)[2]!; // output port changed, cookie 2 as before
    const recookied = flows(5, 1)[4]!;
    changed[4] = flow13({ ...recookied.value, cookie: 0x4444n }); // body and cookie changed
    ctl.sync.replace('test', dpid, changed);
    await ctl.sync.idle(dpid);
    const lines = await ovsFlows(ovs);
    const seconds = (l: string) => Number(/duration=([\d.]+)s/.exec(l)![1]);
    const modified = lines.find((l) => l.includes('cookie=0x564c000000000002,'))!;
    expect(modified).toContain('actions=output:4');
    expect(seconds(modified)).toBeGreaterThanOrEqual(1);
    const replaced = lines.find((l) => l.includes('cookie=0x564c000000004444,'))!;
    expect(replaced).toContain('write_metadata:0x5/0xffffffff');
    expect(seconds(replaced)).toBeLessThan(1);
    expect(lines.some((l) => l.includes('cookie=0x564c000000000004,'))).toBe(false);
    ctl.sync.replace('test', dpid, flows(N));
    await ctl.sync.idle(dpid);
  });

  it('a restarted controller with the same flows sends no flow-mod and resets no flow', async () => {
    const before = await durations(ovs);
    await ctl.runtime.stop();
    ctl = await startController(port, bundles);
    // The switch reconnects and is read back before the compiler declares anything: what it
    // holds is kept (not deleted and re-added) while the compilers catch up.
    const status = await until(
      () => ctl.sync.status().find((s) => s.datapathId === dpid && s.connected && s.resyncs > 0),
      'switch back',
    );
    await ctl.sync.idle(dpid);
    ctl.sync.replace('test', dpid, flows(N));
    await ctl.sync.idle(dpid);
    expect(ctl.sync.status().find((s) => s.datapathId === dpid)).toMatchObject({ flowMods: 0, desired: N });
    expect(status.connected).toBe(true);
    const after = await durations(ovs);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [k, d] of before) expect(after.get(k)!).toBeGreaterThanOrEqual(d);
  });

  it('withdraws flows nobody declares any more', async () => {
    ctl.sync.replace('test', dpid, flows(N / 2));
    await ctl.sync.idle(dpid);
    expect((await ovsFlows(ovs)).filter((l) => l.includes('cookie=0x564c'))).toHaveLength(N / 2);
  });

  it('restores every flow after ovs-vswitchd restarts with an empty table', async () => {
    await ovs.stopVswitchd();
    await until(() => ctl.sync.status().find((s) => s.datapathId === dpid && !s.connected), 'switch down');
    await ovs.startVswitchd();
    await until(() => ctl.sync.status().find((s) => s.datapathId === dpid && s.connected), 'switch up again');
    await until(async () => {
      await ctl.sync.idle(dpid);
      const n = (await ovsFlows(ovs)).filter((l) => l.includes('cookie=0x564c')).length;
      return n === N / 2 ? n : undefined;
    }, 'flows restored');
  });

  it('a flow the switch refuses is reported, and the rest of the batch is not half-applied', async () => {
    const bad = flow13({
      table: 0,
      priority: 1,
      match: { fields: [] },
      instructions: [{ type: 'goto_table', tableId: 0 }],
    } as Flow13);
    const resyncs = ctl.sync.status().find((s) => s.datapathId === dpid)!.resyncs;
    ctl.sync.update('bad', dpid, [bad, ...flows(3, 7).map((f) => ({ ...f, priority: f.priority + 1000 }))]);
    // A refused batch makes FlowSync read the switch back before it tries again.
    await until(
      () => (ctl.sync.status().find((s) => s.datapathId === dpid)!.resyncs > resyncs ? true : undefined),
      'the refusal and a resync',
    );
    const lines = await ovsFlows(ovs);
    // With a bundle nothing of the batch is applied; without, the good flows are.
    expect(lines.some((l) => l.includes('priority=1100'))).toBe(!bundles);
    expect(lines.some((l) => l.includes('goto_table:0'))).toBe(false);
    ctl.sync.replace('bad', dpid, []);
  });
});
