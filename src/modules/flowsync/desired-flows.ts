/**
 * The desired flows of one datapath, kept per owner (the module or compiler that declared
 * them). An owner replaces its whole set, or changes part of it; each call returns the keys
 * whose desired state changed, so FlowSync diffs only those against the switch.
 */
import { type Flow, flowKey, sameFlow } from './flow';

export class FlowConflictError extends Error {
  override readonly name = 'FlowConflictError';
  constructor(
    readonly key: string,
    readonly owners: readonly [string, string],
  ) {
    super(`flow ${key} is declared differently by ${owners[0]} and ${owners[1]}`);
  }
}

export class DesiredFlows<V = unknown> {
  private readonly byOwner = new Map<string, Map<string, Flow<V>>>();
  /** The merged view: key -> flow and the owners declaring it. */
  private readonly merged = new Map<string, { flow: Flow<V>; owners: Set<string> }>();

  /** Every desired flow by key, kept beside `merged` so FlowSync diffs without copying. */
  private readonly flat = new Map<string, Flow<V>>();

  get flows(): ReadonlyMap<string, Flow<V>> {
    return this.flat;
  }

  get size(): number {
    return this.merged.size;
  }

  get(key: string): Flow<V> | undefined {
    return this.merged.get(key)?.flow;
  }

  /** Replaces everything `owner` declared. Throws (changing nothing) on a conflict. */
  replace(owner: string, flows: Iterable<Flow<V>>): Set<string> {
    const next = new Map<string, Flow<V>>();
    for (const f of flows) next.set(flowKey(f), f);
    const old = this.byOwner.get(owner) ?? new Map<string, Flow<V>>();
    const removed = [...old.keys()].filter((k) => !next.has(k));
    return this.change(owner, next, removed);
  }

  /** Adds or replaces some of `owner`'s flows and withdraws others. Throws (changing nothing) on a conflict. */
  update(owner: string, upsert: Iterable<Flow<V>>, withdraw: Iterable<string> = []): Set<string> {
    const next = new Map(this.byOwner.get(owner) ?? []);
    const removed: string[] = [];
    for (const k of withdraw) {
      if (next.delete(k)) removed.push(k);
    }
    for (const f of upsert) next.set(flowKey(f), f);
    return this.change(owner, next, removed);
  }

  private change(owner: string, next: Map<string, Flow<V>>, removed: readonly string[]): Set<string> {
    const old = this.byOwner.get(owner);
    // Check every conflict first, so a failing call changes nothing. A flow this owner
    // declared before (the same object) was checked then: skipping it keeps a one-flow
    // update from re-comparing every flow the owner has.
    for (const [k, f] of next) {
      if (old?.get(k) === f) continue;
      const m = this.merged.get(k);
      if (m === undefined || sameFlow(m.flow, f)) continue;
      const others = [...m.owners].filter((o) => o !== owner);
      if (others.length > 0) throw new FlowConflictError(k, [others[0]!, owner]);
    }
    const changed = new Set<string>();
    for (const k of removed) {
      const m = this.merged.get(k);
      if (m === undefined) continue;
      m.owners.delete(owner);
      if (m.owners.size === 0) {
        this.merged.delete(k);
        this.flat.delete(k);
        changed.add(k);
      }
    }
    for (const [k, f] of next) {
      if (old?.get(k) === f) continue;
      const m = this.merged.get(k);
      if (m === undefined) {
        // Set.add rather than new Set([owner]): no array and iterator per flow.
        this.merged.set(k, { flow: f, owners: new Set<string>().add(owner) });
        this.flat.set(k, f);
        changed.add(k);
      } else {
        if (!sameFlow(m.flow, f)) {
          m.flow = f;
          this.flat.set(k, f);
          changed.add(k);
        }
        m.owners.add(owner);
      }
    }
    if (next.size === 0) this.byOwner.delete(owner);
    else this.byOwner.set(owner, next);
    return changed;
  }
}
