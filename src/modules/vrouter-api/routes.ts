/**
 * A router's static routes: `[prefix, next hop]` pairs, the prefix stored in network form (a
 * bare address means /32, as VLCP's cidr_nonstrict_type). Every next hop must lie inside a
 * subnet attached to the router, and not be the router's own address there: otherwise the
 * route could never forward anything.
 */
import type { JsonValue } from '../../objectdb';
import { ipv4FromNumber } from '../../openflow/packet';
import type { ItemPath } from '../viperflow/item-path';
import { formatCidr, parseAddress, parseCidr } from '../viperflow/subnet';
import { type Attached, subnetHolding } from './attached-subnets';
import type { Route } from './model';

/** The routes as they will be stored; a malformed or repeated prefix is a 400. */
export function normaliseRoutes(path: ItemPath, raw: unknown): Route[] {
  if (!Array.isArray(raw)) throw path.error('routes', 'must be a list of [prefix, next hop] pairs');
  const seen = new Map<string, number>();
  return raw.map((r: JsonValue, i) => {
    const field = `routes.${i}`;
    if (!Array.isArray(r) || r.length !== 2 || typeof r[0] !== 'string' || typeof r[1] !== 'string') {
      throw path.error(field, 'must be a [prefix, next hop] pair');
    }
    const [prefixText, hopText] = r as [string, string];
    const cidr = parseCidr(
      prefixText.includes('/') ? prefixText : `${prefixText}/32`,
      path.field(`${field}.0`),
      false,
    );
    const prefix = formatCidr(cidr);
    const hop = ipv4FromNumber(parseAddress(hopText, path.field(`${field}.1`)));
    const before = seen.get(prefix);
    if (before !== undefined)
      throw path.error(field, `prefix ${prefix} is already routed by routes.${before}`);
    seen.set(prefix, i);
    return [prefix, hop] as const;
  });
}

/** Why `route` cannot forward through `attached`, or null when it can. */
export function unreachable(route: Route, attached: readonly Attached[]): string | null {
  const hop = parseAddress(route[1], 'nexthop');
  const via = subnetHolding(attached, hop);
  if (via === undefined) {
    const list = attached
      .filter((a) => a.subnet !== null)
      .map((a) => `${a.subnet!.id} ${a.subnet!.cidr}`)
      .join(', ');
    return `next hop ${route[1]} is not inside any subnet attached to the router (${list === '' ? 'it has no interfaces' : `attached: ${list}`})`;
  }
  if (via.address === hop) {
    return `next hop ${route[1]} is the router's own address on subnet ${via.subnet!.id}`;
  }
  return null;
}

/** Checks every route against the router's interfaces (400 naming the first bad route). */
export function checkRoutes(path: ItemPath, routes: readonly Route[], attached: readonly Attached[]): void {
  routes.forEach((r, i) => {
    const why = unreachable(r, attached);
    if (why !== null) throw path.error(`routes.${i}`, why);
  });
}
