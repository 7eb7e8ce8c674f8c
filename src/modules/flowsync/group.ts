/**
 * A group as FlowSync sees it: OpenFlow identifies a group by its id; type and buckets are
 * its body, described as a canonical string so FlowSync compares groups without knowing the
 * wire format; `value` carries what is sent.
 */

export interface Group<V = unknown> {
  readonly id: number;
  /** Canonical type and buckets: equal strings for groups that behave the same. */
  readonly body: string;
  readonly value: V;
}

export function sameGroup(a: Group, b: Group): boolean {
  return a.id === b.id && a.body === b.body;
}
