/**
 * Named table allocation. Modules ask for tables by name and say which tables must come
 * before them (a packet can only go forward: goto-table needs a higher number). The plan
 * numbers the tables once, in an order that honours every constraint and otherwise keeps
 * the order of the requests, so the same modules always get the same numbers — flows
 * installed by a previous run of the controller keep their meaning.
 */

export interface TableRequest {
  readonly name: string;
  /** Tables that must have lower numbers than this one. */
  readonly after?: readonly string[];
  /** Module asking, for error messages. */
  readonly owner?: string;
  /**
   * What a packet matching no flow of the table does: go on to the next table, or be
   * dropped (OpenFlow 1.3's table-miss default). Default `drop`.
   */
  readonly miss?: 'next' | 'drop';
}

export class TablePlanError extends Error {
  override readonly name = 'TablePlanError';
}

/** Numbers OpenFlow 1.3 allows for tables (0-254; 255 means "all"). */
export const MAX_TABLES = 255;

export interface TablePlan {
  readonly tables: ReadonlyMap<string, number>;
  /** The pipeline in order, for the start-up log: `0 ingress, 1 portbinding, ...`. */
  describe(): string;
  number(name: string): number;
}

export function planTables(requests: readonly TableRequest[], first = 0): TablePlan {
  const byName = new Map<string, { after: Set<string>; owners: Set<string>; order: number }>();
  requests.forEach((r, i) => {
    const e = byName.get(r.name) ?? { after: new Set<string>(), owners: new Set<string>(), order: i };
    for (const a of r.after ?? []) e.after.add(a);
    if (r.owner) e.owners.add(r.owner);
    byName.set(r.name, e);
  });
  for (const [name, e] of byName) {
    for (const a of e.after) {
      if (!byName.has(a)) {
        const who = e.owners.size ? ` (requested by ${[...e.owners].join(', ')})` : '';
        throw new TablePlanError(`table ${name}${who} must come after ${a}, which nobody requested`);
      }
    }
  }
  if (first + byName.size > MAX_TABLES) {
    throw new TablePlanError(
      `${byName.size} tables requested from ${first}: more than tables 0-254 can hold`,
    );
  }
  // Kahn's algorithm, always taking the earliest-requested ready table: stable numbering.
  const remaining = new Map([...byName].map(([n, e]) => [n, new Set(e.after)]));
  const order: string[] = [];
  while (remaining.size > 0) {
    let next: string | undefined;
    for (const [n, deps] of remaining) {
      if (deps.size === 0 && (next === undefined || byName.get(n)!.order < byName.get(next)!.order)) next = n;
    }
    if (next === undefined) {
      throw new TablePlanError(
        `tables must come after each other in a cycle: ${[...remaining.keys()].join(', ')}`,
      );
    }
    order.push(next);
    remaining.delete(next);
    for (const deps of remaining.values()) deps.delete(next);
  }
  const tables = new Map(order.map((n, i) => [n, first + i]));
  return {
    tables,
    describe: () => order.map((n) => `${tables.get(n)} ${n}`).join(', '),
    number(name) {
      const t = tables.get(name);
      if (t === undefined) throw new TablePlanError(`no table named ${name} was requested`);
      return t;
    },
  };
}
