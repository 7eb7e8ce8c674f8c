import {
  type Flow,
  type Flow13,
  flow13,
  type Group,
  type Group13,
  group13,
} from '../../../../src/modules/flowsync';
import { buildMatch } from '../../../../src/openflow/oxm';
import { type DatapathId, toDatapathId } from '../../../../src/openflow/protocol';
import { cleanupAll, freePort, type OvsInstance, startOvs } from '../../../harness';

import { type Controller, startController, until } from './controller';

afterAll(cleanupAll);

/** One group of each type, ids 1..4 (0x56000001..0x56000004 on the switch). */
function groups(variant = 0): Group<Group13>[] {
  const out = (port: number) => ({ type: 'output', port, maxLen: 0 }) as const;
  return [
    group13({ id: 1, type: 'all', buckets: [{ actions: [out(1)] }, { actions: [out(2 + variant)] }] }),
    group13({ id: 2, type: 'select', buckets: [{ actions: [out(3)], weight: 5 }, { actions: [out(4)] }] }),
    group13({ id: 3, type: 'indirect', buckets: [{ actions: [out(5)] }] }),
    group13({
      id: 4,
      type: 'ff',
      buckets: [
        { actions: [out(6)], watchPort: 6 },
        { actions: [out(7)], watchPort: 7 },
      ],
    }),
  ];
}

/** A flow per group, sending to it. */
function flowsTo(gs: readonly Group<Group13>[]): Flow<Flow13>[] {
  return gs.map((g, i) =>
    flow13({
      table: 0,
      priority: 200,
      match: buildMatch({ in_port: 20 + i }),
      instructions: [{ type: 'apply_actions', actions: [{ type: 'group', groupId: g.id }] }],
      cookie: BigInt(i),
    } as Flow13),
  );
}

/** `ovs-ofctl dump-groups` lines, by group id. */
async function ovsGroups(ovs: OvsInstance): Promise<Map<number, string>> {
  const out = await ovs.ofctl('-O', 'OpenFlow13', 'dump-groups', 'br0');
  const m = new Map<number, string>();
  for (const l of out.split('\n')) {
    const id = /group_id=(\d+)/.exec(l);
    if (id) m.set(Number(id[1]), l.trim());
  }
  return m;
}

describe.each([true, false])('FlowSync groups against a private OVS (bundles: %s)', (bundles) => {
  let ovs: OvsInstance;
  let port: number;
  let ctl: Controller;
  let dpid: DatapathId;
  const status = () => ctl.sync.status().find((s) => s.datapathId === dpid)!;

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

  it('installs declared groups with the flows that use them, and leaves foreign groups alone', async () => {
    await ovs.ofctl('-O', 'OpenFlow13', 'add-group', 'br0', 'group_id=7,type=all,bucket=output:9');
    const gs = groups();
    ctl.sync.replaceGroups('test', dpid, gs);
    ctl.sync.replace('test', dpid, flowsTo(gs));
    await ctl.sync.idle(dpid);
    expect(status()).toMatchObject({ failures: 0, groupMods: 4, flowMods: 4 });
    const installed = await ovsGroups(ovs);
    expect([...installed.keys()].sort((a, b) => a - b)).toEqual([
      7, 0x56000001, 0x56000002, 0x56000003, 0x56000004,
    ]);
    expect(installed.get(0x56000001)).toContain('type=all,bucket=actions=output:1,bucket=actions=output:2');
    expect(installed.get(0x56000002)).toContain('type=select');
    expect(installed.get(0x56000002)).toContain('weight:5');
    expect(installed.get(0x56000004)).toContain('watch_port:6');
    const flows = await ovs.ofctl('-O', 'OpenFlow13', 'dump-flows', 'br0');
    expect(flows).toContain(`in_port=20 actions=group:${0x56000001}`);
  });

  it('sends nothing for an unchanged redeclaration, and one group-mod for a changed group', async () => {
    const before = status();
    ctl.sync.replaceGroups('test', dpid, groups());
    await ctl.sync.idle(dpid);
    expect(status().groupMods).toBe(before.groupMods);
    ctl.sync.replaceGroups('test', dpid, groups(10));
    await ctl.sync.idle(dpid);
    expect(status()).toMatchObject({
      groupMods: before.groupMods + 1,
      flowMods: before.flowMods,
      failures: 0,
    });
    expect((await ovsGroups(ovs)).get(0x56000001)).toContain('bucket=actions=output:12');
  });

  it('a restarted controller with the same groups sends no group-mod and no flow-mod', async () => {
    await ctl.runtime.stop();
    ctl = await startController(port, bundles);
    const gs = groups(10);
    ctl.sync.replaceGroups('test', dpid, gs);
    ctl.sync.replace('test', dpid, flowsTo(gs));
    await until(
      () => ctl.sync.status().find((s) => s.datapathId === dpid && s.connected && s.resyncs > 0),
      'switch back',
    );
    await ctl.sync.idle(dpid);
    expect(status()).toMatchObject({ groupMods: 0, flowMods: 0, failures: 0, desiredGroups: 4 });
  });

  it('withdraws a group together with the flow using it, flows first', async () => {
    const gs = groups(10).slice(1);
    ctl.sync.replaceGroups('test', dpid, gs);
    ctl.sync.replace('test', dpid, flowsTo(groups(10)).slice(1));
    await ctl.sync.idle(dpid);
    expect(status().failures).toBe(0);
    expect([...(await ovsGroups(ovs)).keys()].sort((a, b) => a - b)).toEqual([
      7, 0x56000002, 0x56000003, 0x56000004,
    ]);
    const flows = await ovs.ofctl('-O', 'OpenFlow13', 'dump-flows', 'br0');
    expect(flows).not.toContain('in_port=20 ');
    expect(flows).toContain('in_port=21 ');
  });

  it('a group-mod goes in the same atomic bundle as the flows (OVS takes group-mods in an ONF bundle on 1.3)', async () => {
    const failures = status().failures;
    const extra = group13({
      id: 99,
      type: 'all',
      buckets: [{ actions: [{ type: 'output', port: 1, maxLen: 0 }] }],
    });
    const refused = flow13({
      table: 0,
      priority: 1,
      match: { fields: [] },
      instructions: [{ type: 'goto_table', tableId: 0 }],
    } as Flow13);
    ctl.sync.replaceGroups('bad', dpid, [extra]);
    ctl.sync.replace('bad', dpid, [refused]);
    await until(() => (status().failures > failures ? true : undefined), 'the refusal');
    // With a bundle the group-mod is rolled back with the refused flow-mod; without, it stays.
    expect((await ovsGroups(ovs)).has(extra.id)).toBe(!bundles);
    ctl.sync.replaceGroups('bad', dpid, []);
    ctl.sync.replace('bad', dpid, []);
    await until(async () => {
      await ctl.sync.idle(dpid);
      return (await ovsGroups(ovs)).has(extra.id) ? undefined : true;
    }, 'the extra group gone');
  });

  it('restores groups and flows after ovs-vswitchd restarts empty', async () => {
    await ovs.stopVswitchd();
    await until(() => ctl.sync.status().find((s) => s.datapathId === dpid && !s.connected), 'switch down');
    await ovs.startVswitchd();
    await until(async () => {
      await ctl.sync.idle(dpid);
      const ids = [...(await ovsGroups(ovs)).keys()].filter((id) => id !== 7);
      return ids.length === 3 ? ids : undefined;
    }, 'groups restored');
  });
});
