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
  /** owner -> key -> flow. */
  private readonly byOwner = new Map<string, Map<string, Flow<V>>>();
  /** owner -> the flow objects of its map: `replace` finds unchanged flows by identity. */
  private readonly objects = new Map<string, Set<Flow<V>>>();
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

  /**
   * Replaces everything `owner` declared. Throws (changing nothing) on a conflict. A flow
   * object the owner declared before is known by identity, without building its key: a
   * compiler that keeps unchanged flows' objects (l2's CompileCache) pays for what changed,
   * plus one set lookup per flow. Two flows of one key in one call: the last new one wins.
   */
  replace(owner: string, flows: Iterable<Flow<V>>): Set<string> {
    const cur = this.byOwner.get(owner);
    const objs = this.objects.get(owner);
    const upsert = new Map<string, Flow<V>>();
    if (cur === undefined || objs === undefined) {
      for (const f of flows) upsert.set(flowKey(f), f);
      return this.change(owner, upsert, []);
    }
    const kept = new Set<Flow<V>>();
    for (const f of flows) {
      if (objs.has(f)) kept.add(f);
      else upsert.set(flowKey(f), f);
    }
    const removed: string[] = [];
    if (kept.size !== objs.size) {
      for (const [k, f] of cur) if (!kept.has(f) && !upsert.has(k)) removed.push(k);
    }
    return this.change(owner, upsert, removed);
  }

  /** Adds or replaces some of `owner`'s flows and withdraws others. Throws (changing nothing) on a conflict. */
  update(owner: string, upsert: Iterable<Flow<V>>, withdraw: Iterable<string> = []): Set<string> {
    const up = new Map<string, Flow<V>>();
    for (const f of upsert) up.set(flowKey(f), f);
    // A key both withdrawn and upserted ends up declared, as if withdrawn first.
    return this.change(
      owner,
      up,
      [...withdraw].filter((k) => !up.has(k)),
    );
  }

  /** Withdraws `removed` and sets `upsert` for `owner`, in place: work in proportion to the change. */
  private change(
    owner: string,
    upsert: ReadonlyMap<string, Flow<V>>,
    removed: readonly string[],
  ): Set<string> {
    let cur = this.byOwner.get(owner);
    // Check every conflict first, so a failing call changes nothing. A flow this owner
    // declared before (the same object) was checked then.
    for (const [k, f] of upsert) {
      if (cur?.get(k) === f) continue;
      const m = this.merged.get(k);
      if (m === undefined || sameFlow(m.flow, f)) continue;
      const others = [...m.owners].filter((o) => o !== owner);
      if (others.length > 0) throw new FlowConflictError(k, [others[0]!, owner]);
    }
    let objs = this.objects.get(owner);
    if (cur === undefined || objs === undefined) {
      cur = new Map();
      objs = new Set();
      this.byOwner.set(owner, cur);
      this.objects.set(owner, objs);
    }
    const changed = new Set<string>();
    for (const k of removed) {
      const f = cur.get(k);
      if (f === undefined) continue;
      cur.delete(k);
      objs.delete(f);
      const m = this.merged.get(k);
      if (m === undefined) continue;
      m.owners.delete(owner);
      if (m.owners.size === 0) {
        this.merged.delete(k);
        this.flat.delete(k);
        changed.add(k);
      }
    }
    for (const [k, f] of upsert) {
      const prev = cur.get(k);
      if (prev === f) continue;
      if (prev !== undefined) objs.delete(prev);
      cur.set(k, f);
      objs.add(f);
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
    if (cur.size === 0) {
      this.byOwner.delete(owner);
      this.objects.delete(owner);
    }
    return changed;
  }
}
