/**
 * viperflow's dump names its own classes; this gives routers and interfaces in a dump VLCP's
 * class names (`vlcp.utils.networkmodel.VRouter`, `...RouterPort`), wherever they appear.
 */
import type { JsonObject, JsonValue } from '../../objectdb';

const TYPES: readonly [RegExp, string][] = [
  [/^vrouterapi\.virtualrouter\./, 'vlcp.utils.networkmodel.VRouter'],
  [/^vrouterapi\.routerport\./, 'vlcp.utils.networkmodel.RouterPort'],
];

export function withRouterTypes(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return (v as readonly JsonValue[]).map(withRouterTypes);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, JsonValue> = {};
  for (const [k, x] of Object.entries(v as JsonObject)) out[k] = withRouterTypes(x);
  const key = (v as JsonObject)._key;
  if (typeof key === 'string') {
    const t = TYPES.find(([re]) => re.test(key));
    if (t !== undefined) out._type = t[1];
  }
  return out;
}
