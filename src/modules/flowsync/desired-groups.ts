/**
 * The desired groups of one datapath, kept per owner like the desired flows. Two owners may
 * declare the same group only identically. Each call returns the group ids whose desired
 * state changed.
 */
import { type Group, sameGroup } from './group';

export class GroupConflictError extends Error {
  override readonly name = 'GroupConflictError';
  constructor(
    readonly groupId: number,
    readonly owners: readonly [string, string],
  ) {
    super(`group ${groupId} is declared differently by ${owners[0]} and ${owners[1]}`);
  }
}

export class DesiredGroups<V = unknown> {
  private readonly byOwner = new Map<string, Map<number, Group<V>>>();
  private readonly owners = new Map<number, Set<string>>();
  private readonly flat = new Map<number, Group<V>>();

  get groups(): ReadonlyMap<number, Group<V>> {
    return this.flat;
  }

  get size(): number {
    return this.flat.size;
  }

  /** Replaces every group `owner` declared. Throws (changing nothing) on a conflict. */
  replace(owner: string, groups: Iterable<Group<V>>): Set<number> {
    const next = new Map<number, Group<V>>();
    for (const g of groups) next.set(g.id, g);
    for (const [id, g] of next) {
      const have = this.flat.get(id);
      if (have === undefined || sameGroup(have, g)) continue;
      const others = [...(this.owners.get(id) ?? [])].filter((o) => o !== owner);
      if (others.length > 0) throw new GroupConflictError(id, [others[0]!, owner]);
    }
    const changed = new Set<number>();
    for (const id of this.byOwner.get(owner)?.keys() ?? []) {
      if (next.has(id)) continue;
      const set = this.owners.get(id)!;
      set.delete(owner);
      if (set.size === 0) {
        this.owners.delete(id);
        this.flat.delete(id);
        changed.add(id);
      }
    }
    for (const [id, g] of next) {
      const have = this.flat.get(id);
      if (have === undefined || !sameGroup(have, g)) {
        this.flat.set(id, g);
        changed.add(id);
      }
      const set = this.owners.get(id) ?? new Set<string>();
      set.add(owner);
      this.owners.set(id, set);
    }
    if (next.size === 0) this.byOwner.delete(owner);
    else this.byOwner.set(owner, next);
    return changed;
  }
}
