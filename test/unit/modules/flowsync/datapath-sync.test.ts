import fc from 'fast-check';
import { applyPlan, DesiredFlows, type Flow, type FlowPlan, flowKey } from '../../../../src/modules/flowsync';
import { DatapathSync, type FlowChannel } from '../../../../src/modules/flowsync/datapath-sync';

const flowArb: fc.Arbitrary<Flow<null>> = fc.record({
  table: fc.integer({ min: 0, max: 3 }),
  priority: fc.integer({ min: 0, max: 2 }),
  match: fc.constantFrom('', 'in_port=1', 'in_port=2', 'dl_dst=aa:bb:cc:dd:ee:ff'),
  body: fc.constantFrom('drop', 'output:1', 'output:2'),
  cookie: fc.constant(1n),
  value: fc.constant(null),
});

/** A switch's flow table in memory: applies plans after a turn of the event loop, like a real one. */
class TableChannel implements FlowChannel<null> {
  readonly table = new Map<string, Flow<null>>();
  readonly plans: FlowPlan<null>[] = [];
  failNext = 0;
  async readInstalled(): Promise<Iterable<Flow<null>>> {
    await new Promise((r) => setImmediate(r));
    return [...this.table.values()];
  }
  async apply(plan: FlowPlan<null>): Promise<void> {
    await new Promise((r) => setImmediate(r));
    if (this.failNext > 0) {
      this.failNext--;
      // Half the batch went in before the switch refused the rest.
      applyPlan(this.table, { add: plan.add.slice(0, 1), modify: [], remove: [] });
      throw new Error('OFPET_FLOW_MOD_FAILED');
    }
    this.plans.push(plan);
    applyPlan(this.table, plan);
  }
}

const keyed = (flows: readonly Flow<null>[]) => new Map(flows.map((f) => [flowKey(f), f]));

describe('DatapathSync', () => {
  it('converges the switch to the desired flows through any sequence of changes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('a', 'b'), fc.array(flowArb, { maxLength: 8 })), { maxLength: 10 }),
        fc.array(flowArb, { maxLength: 6 }),
        async (steps, preinstalled) => {
          const desired = new DesiredFlows<null>();
          const sync = new DatapathSync(desired);
          const ch = new TableChannel();
          for (const f of preinstalled) ch.table.set(flowKey(f), f);
          sync.attach(ch);
          for (const [owner, flows] of steps) {
            try {
              sync.changed(desired.replace(owner, flows));
            } catch {
              // a conflict between owners changes nothing
            }
            if (Math.random() < 0.3) await new Promise((r) => setImmediate(r));
          }
          await sync.idle();
          expect(ch.table).toEqual(new Map(desired.flows));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('sends nothing on reconnect when the switch already holds the desired flows', async () => {
    const desired = new DesiredFlows<null>();
    const flows = fc.sample(flowArb, 30);
    desired.replace('m', flows);
    const sync = new DatapathSync(desired);
    const ch = new TableChannel();
    sync.attach(ch);
    await sync.idle();
    expect(ch.plans).toHaveLength(1);
    sync.detach();
    const again = new TableChannel();
    for (const [k, f] of ch.table) again.table.set(k, f);
    sync.attach(again);
    await sync.idle();
    expect(again.plans).toHaveLength(0);
    expect(sync.statistics.flowMods).toBe(desired.size);
  });

  /** A sync attached to an empty in-memory switch, settled. */
  const attachedSync = async () => {
    const desired = new DesiredFlows<null>();
    const sync = new DatapathSync(desired);
    const ch = new TableChannel();
    sync.attach(ch);
    await sync.idle();
    return { desired, sync, ch };
  };
  /** A table-0 drop flow told apart by its priority. */
  const f = (p: number): Flow<null> => ({
    table: 0,
    priority: p,
    match: '',
    body: 'drop',
    cookie: 1n,
    value: null,
  });

  it('sends what several owners declare for one change in one batch, one declaring on an immediate', async () => {
    const { desired, sync, ch } = await attachedSync();
    // As for one commit: arpresponder declares from the notice, l2 from its flush immediate.
    sync.changed(desired.replace('arp', [f(1)]));
    setImmediate(() => sync.changed(desired.replace('l2', [f(2), f(3)])));
    await new Promise((r) => setImmediate(r));
    await sync.idle();
    expect(ch.plans.map((p) => p.add.length)).toEqual([3]);
  });

  it('coalesces changes made while a batch is in flight into one next batch', async () => {
    const { desired, sync, ch } = await attachedSync();
    sync.changed(desired.update('m', [f(1)]));
    // The first batch starts after this turn's other callbacks; wait until it is in flight.
    while (ch.plans.length === 0) await new Promise((r) => setImmediate(r));
    for (let p = 2; p <= 20; p++) sync.changed(desired.update('m', [f(p)]));
    await sync.idle();
    expect(ch.plans.map((p) => p.add.length)).toEqual([1, 19]);
    expect(ch.table).toEqual(keyed([...desired.flows.values()]));
  });

  it('after a refused batch, reads the switch back and converges', async () => {
    const desired = new DesiredFlows<null>();
    const events: string[] = [];
    const sync = new DatapathSync(desired, {
      retryDelayMs: 1,
      onEvent: (e) => {
        if (e.kind === 'error' || e.kind === 'synced') events.push(e.kind);
      },
    });
    const ch = new TableChannel();
    ch.failNext = 1;
    sync.attach(ch);
    sync.changed(desired.replace('m', fc.sample(flowArb, 20)));
    for (let i = 0; i < 100 && !(events.includes('error') && events.at(-1) === 'synced'); i++) {
      await new Promise((r) => setTimeout(r, 5));
      await sync.idle();
    }
    expect(events[0]).toBe('error');
    expect(events.at(-1)).toBe('synced');
    expect(ch.table).toEqual(new Map(desired.flows));
    expect(sync.statistics.resyncs).toBe(2);
    expect(sync.statistics.failures).toBe(1);
  });

  it('forgets the switch on detach and sends nothing to it afterwards', async () => {
    const desired = new DesiredFlows<null>();
    const sync = new DatapathSync(desired);
    const ch = new TableChannel();
    sync.attach(ch);
    await sync.idle();
    sync.detach();
    sync.changed(desired.replace('m', fc.sample(flowArb, 5)));
    await sync.idle();
    expect(ch.plans).toHaveLength(0);
    expect(sync.connected).toBe(false);
  });

  it('right after start, keeps flows the switch already had until they are declared or the hold ends', async () => {
    const f = (p: number, body = 'drop'): Flow<null> => ({
      table: 0,
      priority: p,
      match: '',
      body,
      cookie: 1n,
      value: null,
    });
    const desired = new DesiredFlows<null>();
    const sync = new DatapathSync(desired, { holdRemovalsUntil: Date.now() + 300 });
    const ch = new TableChannel();
    for (const x of [f(1), f(2)]) ch.table.set(flowKey(x), x);
    sync.attach(ch);
    await sync.idle();
    // Nothing declared yet: the switch's flows stay.
    expect(ch.table.size).toBe(2);
    // A compiler catches up with one of them; the other is still only held.
    sync.changed(desired.replace('m', [f(1)]));
    await sync.idle();
    expect([...ch.table.keys()].sort()).toEqual([flowKey(f(1)), flowKey(f(2))].sort());
    // A flow this controller added itself goes at once when withdrawn, hold or not.
    sync.changed(desired.replace('m', [f(1), f(3)]));
    await sync.idle();
    sync.changed(desired.replace('m', [f(1)]));
    await sync.idle();
    expect(ch.table.has(flowKey(f(3)))).toBe(false);
    expect(ch.table.has(flowKey(f(2)))).toBe(true);
    // When the hold ends, what nobody declared is removed.
    for (let i = 0; i < 200 && ch.table.has(flowKey(f(2))); i++) {
      await new Promise((r) => setTimeout(r, 10));
      await sync.idle();
    }
    expect([...ch.table.keys()]).toEqual([flowKey(f(1))]);
  });
});
