import fc from 'fast-check';
import {
  applyPlan,
  DesiredFlows,
  diffFlows,
  type Flow,
  FlowConflictError,
  flowKey,
  isEmptyPlan,
} from '../../../../src/modules/flowsync';
import { planTables, TablePlanError } from '../../../../src/modules/tables/table-plan';

const flowArb: fc.Arbitrary<Flow<null>> = fc.record({
  table: fc.integer({ min: 0, max: 5 }),
  priority: fc.integer({ min: 0, max: 3 }),
  match: fc.constantFrom('', 'in_port=1', 'in_port=2', 'dl_dst=aa:bb:cc:dd:ee:ff'),
  body: fc.constantFrom('drop', 'output:1', 'output:2', 'goto:3'),
  cookie: fc.constantFrom(1n, 2n),
  value: fc.constant(null),
});
const flowSet = fc.array(flowArb, { maxLength: 40 }).map((fs) => new Map(fs.map((f) => [flowKey(f), f])));

describe('flow diff', () => {
  it('applying the plan to the installed flows gives the desired flows (property)', () => {
    fc.assert(
      fc.property(flowSet, flowSet, (desired, installed) => {
        const plan = diffFlows(desired, installed);
        const after = new Map(installed);
        applyPlan(after, plan);
        expect(after).toEqual(desired);
        expect(isEmptyPlan(diffFlows(desired, after))).toBe(true);
      }),
    );
  });

  it('sends nothing when the switch already has the desired flows (restart with unchanged state)', () => {
    fc.assert(
      fc.property(flowSet, (flows) => {
        expect(isEmptyPlan(diffFlows(flows, new Map(flows)))).toBe(true);
      }),
    );
  });

  it('orders adds from the last table back and removals from the first table on (property)', () => {
    fc.assert(
      fc.property(flowSet, flowSet, (desired, installed) => {
        const { add, modify, remove } = diffFlows(desired, installed);
        for (const list of [add, modify]) {
          for (let i = 1; i < list.length; i++)
            expect(list[i - 1]!.table).toBeGreaterThanOrEqual(list[i]!.table);
        }
        for (let i = 1; i < remove.length; i++)
          expect(remove[i - 1]!.table).toBeLessThanOrEqual(remove[i]!.table);
      }),
    );
  });

  it('restricted to a scope, looks only at the keys it names', () => {
    const f = (match: string, body: string): Flow<null> => ({
      table: 0,
      priority: 1,
      match,
      body,
      cookie: 1n,
      value: null,
    });
    const desired = new Map([f('a', 'x'), f('b', 'y')].map((x) => [flowKey(x), x]));
    const installed = new Map([f('a', 'old'), f('c', 'z')].map((x) => [flowKey(x), x]));
    const plan = diffFlows(desired, installed, [flowKey(f('b', ''))]);
    expect(plan.add.map((x) => x.match)).toEqual(['b']);
    expect(plan.modify).toEqual([]);
    expect(plan.remove).toEqual([]);
  });
});

describe('desired flows per owner', () => {
  const f = (match: string, body = 'output:1'): Flow<null> => ({
    table: 1,
    priority: 10,
    match,
    body,
    cookie: 1n,
    value: null,
  });

  it('reports exactly the keys whose desired state changed', () => {
    const d = new DesiredFlows<null>();
    expect([...d.replace('l2', [f('a'), f('b')])].sort()).toEqual([flowKey(f('a')), flowKey(f('b'))]);
    expect(d.replace('l2', [f('a'), f('b')]).size).toBe(0);
    expect([...d.update('l2', [f('b', 'drop')])]).toEqual([flowKey(f('b'))]);
    expect([...d.update('l2', [], [flowKey(f('a'))])]).toEqual([flowKey(f('a'))]);
    expect([...d.flows.keys()]).toEqual([flowKey(f('b'))]);
  });

  it('keeps a flow two owners declare until both withdraw it', () => {
    const d = new DesiredFlows<null>();
    d.replace('arp', [f('shared')]);
    d.replace('dhcp', [f('shared')]);
    expect(d.replace('arp', []).size).toBe(0);
    expect(d.size).toBe(1);
    expect(d.replace('dhcp', []).size).toBe(1);
    expect(d.size).toBe(0);
  });

  it('refuses two owners declaring one flow differently, and changes nothing', () => {
    const d = new DesiredFlows<null>();
    d.replace('arp', [f('x', 'output:1')]);
    expect(() => d.replace('dhcp', [f('y'), f('x', 'drop')])).toThrow(FlowConflictError);
    expect(() => d.replace('dhcp', [f('x', 'drop')])).toThrow(/declared differently by arp and dhcp/);
    expect([...d.flows.values()]).toEqual([f('x', 'output:1')]);
  });
});

describe('table plan', () => {
  it('numbers tables in request order where constraints allow, and stably', () => {
    const reqs = [
      { name: 'ingress' },
      { name: 'l2output', after: ['l2input'] },
      { name: 'l2input', after: ['ingress'] },
      { name: 'egress', after: ['l2output'] },
    ];
    const plan = planTables(reqs);
    expect(plan.describe()).toBe('0 ingress, 1 l2input, 2 l2output, 3 egress');
    expect(planTables(reqs).tables).toEqual(plan.tables);
    expect(plan.number('egress')).toBe(3);
    expect(() => plan.number('nosuch')).toThrow(/no table named nosuch/);
  });

  it('honours every constraint for any acyclic request list (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: 1, maxLength: 20 }), (deps) => {
        const reqs = deps.map((d, i) => ({ name: `t${i}`, after: i === 0 ? [] : d.map((x) => `t${x % i}`) }));
        const plan = planTables([...reqs].reverse());
        for (const r of reqs)
          for (const a of r.after) expect(plan.number(a)).toBeLessThan(plan.number(r.name));
        expect(new Set(plan.tables.values()).size).toBe(reqs.length);
      }),
    );
  });

  it('reports cycles, unknown tables and too many tables', () => {
    expect(() =>
      planTables([
        { name: 'a', after: ['b'] },
        { name: 'b', after: ['a'] },
      ]),
    ).toThrow(/cycle: a, b/);
    expect(() => planTables([{ name: 'a', after: ['zz'], owner: 'l3' }])).toThrow(
      /table a \(requested by l3\) must come after zz, which nobody requested/,
    );
    expect(() => planTables(Array.from({ length: 256 }, (_, i) => ({ name: `t${i}` })))).toThrow(
      TablePlanError,
    );
  });
});
