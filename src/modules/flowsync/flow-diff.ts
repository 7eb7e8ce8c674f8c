/**
 * What to send to make a switch's flows equal the desired ones, ordered so that no packet
 * meets a half-updated pipeline: new and changed flows go first, later tables before earlier
 * ones (a flow that starts sending packets to table N finds table N ready); removals go
 * last, earlier tables first (entry points disappear before what they led to).
 */
import { type Flow, flowKey } from './flow';

export interface FlowPlan<V> {
  /** Flows the switch does not have. */
  readonly add: readonly Flow<V>[];
  /** Flows the switch has with the same identity but another body or cookie. */
  readonly modify: readonly Flow<V>[];
  /** Flows the switch has that nobody wants (among those FlowSync owns). */
  readonly remove: readonly Flow<V>[];
}

export function isEmptyPlan(p: FlowPlan<unknown>): boolean {
  return p.add.length === 0 && p.modify.length === 0 && p.remove.length === 0;
}

const laterTableFirst = (a: Flow, b: Flow) => b.table - a.table || b.priority - a.priority;
const earlierTableFirst = (a: Flow, b: Flow) => a.table - b.table || a.priority - b.priority;

/**
 * Compares desired with installed. Only keys listed in `scope` are considered when given
 * (an incremental change touches only the flows it names); otherwise every flow is.
 */
export function diffFlows<V>(
  desired: ReadonlyMap<string, Flow<V>>,
  installed: ReadonlyMap<string, Flow<V>>,
  scope?: Iterable<string>,
): FlowPlan<V> {
  const add: Flow<V>[] = [];
  const modify: Flow<V>[] = [];
  const remove: Flow<V>[] = [];
  const visit = (key: string) => {
    const want = desired.get(key);
    const have = installed.get(key);
    if (want === undefined) {
      if (have !== undefined) remove.push(have);
    } else if (have === undefined) add.push(want);
    else if (have.body !== want.body || have.cookie !== want.cookie) modify.push(want);
  };
  if (scope !== undefined) {
    // Each key once; a Set (DatapathSync's dirty keys, 10,000 on a full install) is used as is.
    for (const key of scope instanceof Set ? scope : new Set(scope)) visit(key);
  } else {
    for (const key of desired.keys()) visit(key);
    for (const key of installed.keys()) if (!desired.has(key)) visit(key);
  }
  add.sort(laterTableFirst);
  modify.sort(laterTableFirst);
  remove.sort(earlierTableFirst);
  return { add, modify, remove };
}

/** The installed set after the plan is applied (what FlowSync records once the barrier returns). */
export function applyPlan<V>(installed: Map<string, Flow<V>>, plan: FlowPlan<V>): void {
  for (const f of plan.add) installed.set(flowKey(f), f);
  for (const f of plan.modify) installed.set(flowKey(f), f);
  for (const f of plan.remove) installed.delete(flowKey(f));
}
