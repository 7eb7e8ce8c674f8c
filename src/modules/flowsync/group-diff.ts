/**
 * What to send to make a switch's groups equal the desired ones. Adds and modifies go before
 * the flow-mods (a new flow finds its group), deletes after them (a group goes only once no
 * flow of ours uses it; OpenFlow would delete the flows that still did).
 */
import type { Group } from './group';

export interface GroupPlan<V> {
  readonly add: readonly Group<V>[];
  readonly modify: readonly Group<V>[];
  readonly remove: readonly Group<V>[];
}

export const EMPTY_GROUP_PLAN: GroupPlan<never> = { add: [], modify: [], remove: [] };

export function isEmptyGroupPlan(p: GroupPlan<unknown>): boolean {
  return p.add.length === 0 && p.modify.length === 0 && p.remove.length === 0;
}

/** Compares desired with installed, for the ids in `scope` when given, otherwise all. */
export function diffGroups<V>(
  desired: ReadonlyMap<number, Group<V>>,
  installed: ReadonlyMap<number, Group<V>>,
  scope?: Iterable<number>,
): GroupPlan<V> {
  const add: Group<V>[] = [];
  const modify: Group<V>[] = [];
  const remove: Group<V>[] = [];
  const visit = (id: number) => {
    const want = desired.get(id);
    const have = installed.get(id);
    if (want === undefined) {
      if (have !== undefined) remove.push(have);
    } else if (have === undefined) add.push(want);
    else if (have.body !== want.body) modify.push(want);
  };
  const ids = scope !== undefined ? new Set(scope) : new Set([...desired.keys(), ...installed.keys()]);
  for (const id of [...ids].sort((a, b) => a - b)) visit(id);
  return { add, modify, remove };
}

export function applyGroupPlan<V>(installed: Map<number, Group<V>>, plan: GroupPlan<V>): void {
  for (const g of plan.add) installed.set(g.id, g);
  for (const g of plan.modify) installed.set(g.id, g);
  for (const g of plan.remove) installed.delete(g.id);
}
