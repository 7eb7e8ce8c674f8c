/**
 * A flow as FlowSync sees it: OpenFlow identifies a flow by (table, priority, match); the
 * rest — instructions, cookie, timeouts — is its body. Compilers describe both halves as
 * canonical strings (the codec's canonical form of a match or instruction list), so FlowSync
 * compares flows without knowing the wire format; `value` carries what is sent.
 */

export interface Flow<V = unknown> {
  readonly table: number;
  readonly priority: number;
  /** Canonical match: equal strings for equal matches (field order normalised). */
  readonly match: string;
  /** Canonical body: instructions/actions, timeouts, flags. */
  readonly body: string;
  readonly cookie: bigint;
  /** The flow in the form the switch connection sends (a flow-mod body). */
  readonly value: V;
}

/** The identity OpenFlow uses: a flow-mod ADD with the same identity replaces the flow. */
export function flowKey(f: Pick<Flow, 'table' | 'priority' | 'match'>): string {
  return `${f.table}/${f.priority}/${f.match}`;
}

/** Same identity and same body and cookie: sending it again would change nothing. */
export function sameFlow(a: Flow, b: Flow): boolean {
  return a.body === b.body && a.cookie === b.cookie && flowKey(a) === flowKey(b);
}
