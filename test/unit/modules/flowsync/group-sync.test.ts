import fc from 'fast-check';
import {
  applyGroupPlan,
  applyPlan,
  DesiredFlows,
  DesiredGroups,
  type Flow,
  type FlowPlan,
  flowKey,
  type Group,
  GroupConflictError,
  type GroupPlan,
  group13,
  isFlowSyncGroup,
} from '../../../../src/modules/flowsync';
import { DatapathSync, type FlowChannel } from '../../../../src/modules/flowsync/datapath-sync';

/** Flows that name the group they use in their body ("group:N"), like a compiler's. */
const flowUsing = (g: number, table = 0): Flow<null> => ({
  table,
  priority: 10,
  match: `reg0=${g}`,
  body: `group:${g}`,
  cookie: 1n,
  value: null,
});
const group = (id: number, body = 'all/out:1'): Group<null> => ({ id, body, value: null });

/**
 * A switch in memory that checks what OpenFlow checks: a flow may only use a group the
 * switch holds (else OFPBAC_BAD_OUT_GROUP), and deleting a group deletes the flows using it.
 */
class Switch implements FlowChannel<null, null> {
  readonly flows = new Map<string, Flow<null>>();
  readonly groups = new Map<number, Group<null>>();
  readonly sent: { flows: FlowPlan<null>; groups: GroupPlan<null> }[] = [];
  lostFlows = 0;
  async readInstalled(): Promise<Iterable<Flow<null>>> {
    await new Promise((r) => setImmediate(r));
    return [...this.flows.values()];
  }
  async readGroups(): Promise<Iterable<Group<null>>> {
    return [...this.groups.values()];
  }
  async apply(flows: FlowPlan<null>, _signal: AbortSignal, groups: GroupPlan<null>): Promise<void> {
    await new Promise((r) => setImmediate(r));
    this.sent.push({ flows, groups });
    applyGroupPlan(this.groups, { add: groups.add, modify: groups.modify, remove: [] });
    for (const f of [...flows.add, ...flows.modify]) {
      const g = Number(f.body.split(':')[1]);
      if (!this.groups.has(g))
        throw new Error(`OFPBAC_BAD_OUT_GROUP: flow ${flowKey(f)} uses missing group ${g}`);
    }
    applyPlan(this.flows, flows);
    for (const g of groups.remove) {
      for (const [k, f] of this.flows) {
        if (f.body === `group:${g.id}`) {
          this.flows.delete(k);
          this.lostFlows++;
        }
      }
      this.groups.delete(g.id);
    }
  }
}

describe('FlowSync groups', () => {
  it('keeps flows and the groups they use in step through any sequence of changes, never losing a flow to a group delete (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { maxLength: 4 }), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { maxLength: 3 }),
        async (steps, preinstalled) => {
          const sync = new DatapathSync<null, null>(new DesiredFlows<null>());
          const sw = new Switch();
          for (const g of preinstalled) sw.groups.set(g, group(g, 'all/stale'));
          sync.attach(sw);
          for (const ids of steps) {
            sync.changedGroups(
              sync.desiredGroups.replace(
                'm',
                ids.map((g) => group(g)),
              ),
            );
            sync.changed(
              sync.desired.replace(
                'm',
                ids.map((g) => flowUsing(g)),
              ),
            );
            if (Math.random() < 0.5) await new Promise((r) => setImmediate(r));
          }
          await sync.idle();
          expect(sync.statistics.failures).toBe(0);
          expect(sw.lostFlows).toBe(0);
          expect(sw.groups).toEqual(new Map(sync.desiredGroups.groups));
          expect(sw.flows).toEqual(new Map(sync.desired.flows));
        },
      ),
    );
  });

  it('sends no group-mod on reconnect when the switch holds the desired groups', async () => {
    const sync = new DatapathSync<null, null>(new DesiredFlows<null>());
    sync.changedGroups(sync.desiredGroups.replace('m', [group(1), group(2, 'select/x')]));
    sync.changed(sync.desired.replace('m', [flowUsing(1), flowUsing(2)]));
    const sw = new Switch();
    sync.attach(sw);
    await sync.idle();
    expect(sync.statistics.groupMods).toBe(2);
    sync.detach();
    sync.attach(sw);
    await sync.idle();
    expect(sw.sent).toHaveLength(1);
    expect(sync.statistics.groupMods).toBe(2);
  });

  it('modifies a group whose buckets changed, in place', async () => {
    const sync = new DatapathSync<null, null>(new DesiredFlows<null>());
    const sw = new Switch();
    sync.attach(sw);
    sync.changedGroups(sync.desiredGroups.replace('m', [group(1)]));
    await sync.idle();
    sync.changedGroups(sync.desiredGroups.replace('m', [group(1, 'all/out:2')]));
    await sync.idle();
    expect(sw.sent.at(-1)?.groups).toEqual({ add: [], modify: [group(1, 'all/out:2')], remove: [] });
  });

  it('withdraws a group and the flows using it in one batch: the flows go first', async () => {
    const sync = new DatapathSync<null, null>(new DesiredFlows<null>());
    const sw = new Switch();
    sync.attach(sw);
    sync.changedGroups(sync.desiredGroups.replace('m', [group(1), group(2)]));
    sync.changed(sync.desired.replace('m', [flowUsing(1), flowUsing(2)]));
    await sync.idle();
    // Groups declared before flows, in the same turn, still leave after them.
    sync.changedGroups(sync.desiredGroups.replace('m', [group(2)]));
    sync.changed(sync.desired.replace('m', [flowUsing(2)]));
    await sync.idle();
    expect(sw.sent).toHaveLength(2);
    expect(sw.lostFlows).toBe(0);
    expect([...sw.groups.keys()]).toEqual([2]);
  });
});

describe('DesiredGroups', () => {
  it('refuses a group two owners declare differently, changing nothing', () => {
    const d = new DesiredGroups<null>();
    d.replace('a', [group(1)]);
    expect(() => d.replace('b', [group(2), group(1, 'all/other')])).toThrow(GroupConflictError);
    expect([...d.groups.keys()]).toEqual([1]);
    expect(d.replace('b', [group(1)])).toEqual(new Set());
    expect(d.replace('a', [])).toEqual(new Set());
    expect(d.replace('b', [])).toEqual(new Set([1]));
  });
});

describe('group13', () => {
  it('puts owner ids in the range FlowSync owns and refuses ids that do not fit', () => {
    const g = group13({ id: 0x1234, type: 'all', buckets: [{ actions: [] }] });
    expect(g.id).toBe(0x5600_1234);
    expect(isFlowSyncGroup(g.id)).toBe(true);
    expect(isFlowSyncGroup(0x1234)).toBe(false);
    expect(isFlowSyncGroup(0xffff_fffc)).toBe(false);
    expect(() => group13({ id: 0x100_0000, type: 'all', buckets: [] })).toThrow(/24 bits/);
    expect(() => group13({ id: 1, type: 'indirect', buckets: [] })).toThrow(/exactly one bucket/);
  });
});
