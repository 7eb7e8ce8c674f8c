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

describe('desired flows against a model (property)', () => {
  // A fixed pool of flow objects, so that calls re-declare the very same objects (the
  // identity path of replace) as well as equal copies and changed bodies.
  const POOL: readonly Flow<null>[] = ['a', 'b', 'c', 'd', 'e'].flatMap((match) =>
    ['output:1', 'drop'].map((body) => ({ table: 1, priority: 10, match, body, cookie: 1n, value: null })),
  );
  const aFlow = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...POOL) },
    { weight: 1, arbitrary: fc.constantFrom(...POOL).map((f) => ({ ...f })) },
  );
  /** Flows with distinct keys (the last of a key kept). */
  const declaration = fc
    .array(aFlow, { maxLength: 6 })
    .map((fs) => [...new Map(fs.map((f) => [flowKey(f), f])).values()]);
  const owner = fc.constantFrom('l2', 'arp', 'dhcp');
  const op = fc.oneof(
    fc.record({ kind: fc.constant('replace' as const), owner, flows: declaration }),
    fc.record({
      kind: fc.constant('update' as const),
      owner,
      flows: declaration,
      withdraw: fc.array(fc.constantFrom(...POOL.map(flowKey)), { maxLength: 3 }),
    }),
  );
  const same = (a: Flow<null>, b: Flow<null>) => a.body === b.body && a.cookie === b.cookie;

  it('holds what the owners declared, refuses disagreements whole, and reports exactly what changed', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const d = new DesiredFlows<null>();
        const model = new Map<string, Map<string, Flow<null>>>();
        for (const o of ops) {
          const next = new Map(o.kind === 'replace' ? [] : (model.get(o.owner) ?? []));
          if (o.kind === 'update') for (const k of o.withdraw) next.delete(k);
          for (const f of o.flows) next.set(flowKey(f), f);
          const conflict = [...next].some(([k, f]) =>
            [...model].some(([other, flows]) => other !== o.owner && flows.has(k) && !same(flows.get(k)!, f)),
          );
          const before = new Map(d.flows);
          let changed: Set<string> | undefined;
          try {
            changed =
              o.kind === 'replace' ? d.replace(o.owner, o.flows) : d.update(o.owner, o.flows, o.withdraw);
          } catch (e) {
            expect(e).toBeInstanceOf(FlowConflictError);
          }
          expect(changed === undefined).toBe(conflict);
          if (!conflict) model.set(o.owner, next);
          // The merged view: every key some owner declares, with that flow.
          const want = new Map<string, Flow<null>>();
          for (const flows of model.values()) for (const [k, f] of flows) want.set(k, f);
          expect([...d.flows.keys()].sort()).toEqual([...want.keys()].sort());
          for (const [k, f] of want) expect(same(d.flows.get(k)!, f)).toBe(true);
          const moved = [...new Set([...before.keys(), ...d.flows.keys()])].filter((k) => {
            const a = before.get(k);
            const b = d.flows.get(k);
            return a === undefined || b === undefined ? a !== b : !same(a, b);
          });
          expect([...(changed ?? [])].sort()).toEqual(moved.sort());
        }
      }),
      { numRuns: 500 },
    );
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
