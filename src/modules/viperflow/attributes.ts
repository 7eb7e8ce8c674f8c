/**
 * The attributes an API call stores on an object: VLCP's `**kwargs` pass through as given,
 * except that the typed ones are normalised the way VLCP's parameter types convert them
 * (autoint strings become numbers, MACs lower case, route prefixes in network form) and
 * nothing may pose as a reference or collide with the model's own fields.
 */
import type { JsonObject, JsonValue } from '../../objectdb';
import { parseMacAddress } from '../../openflow/packet';
import type { ItemPath } from './item-path';
import { contains, formatCidr, parseAddress, parseCidr } from './subnet';

/** Attributes whose values are VLCP autoints: stored as numbers. */
const AUTOINT = new Set(['vni', 'vxlan', 'vlanid', 'mtu']);

export type Params = Readonly<Record<string, unknown>>;

/**
 * The extra attributes of `params` as they will be stored: every key but `handled` (which
 * the caller stores itself). A key in `forbidden` is an error (a field that cannot be set
 * this way), as is a key starting with `_` or `$` (reserved for the result form and references).
 */
export function storedAttributes(
  path: ItemPath,
  params: Params,
  handled: readonly string[],
  forbidden: Readonly<Record<string, string>> = {},
): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [k, raw] of Object.entries(params)) {
    if (handled.includes(k) || raw === undefined) continue;
    const why = Object.hasOwn(forbidden, k) ? forbidden[k] : undefined;
    if (why !== undefined) throw path.error(k, why);
    if (k.startsWith('_') || k.startsWith('$'))
      throw path.error(k, 'attribute names starting with _ or $ are reserved');
    const v = raw as JsonValue;
    if (containsRef(v))
      throw path.error(k, 'a value may not contain {"$ref": ...} objects (references are made by the API)');
    out[k] = normalise(path, k, v);
  }
  return out;
}

function containsRef(v: JsonValue): boolean {
  if (Array.isArray(v)) return (v as readonly JsonValue[]).some(containsRef);
  if (typeof v === 'object' && v !== null) {
    if (Object.hasOwn(v, '$ref')) return true;
    return Object.values(v as JsonObject).some(containsRef);
  }
  return false;
}

function normalise(path: ItemPath, key: string, v: JsonValue): JsonValue {
  if (AUTOINT.has(key)) return autoInt(path, key, v);
  switch (key) {
    case 'lease_time':
      return typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
    case 'mac_address':
      return typeof v === 'string' ? parseMacAddress(v) : v;
    case 'host_routes':
      return Array.isArray(v) ? (v as readonly JsonValue[]).map((r, i) => hostRoute(path, i, r)) : v;
    default:
      return v;
  }
}

export function autoInt(path: ItemPath, key: string, v: unknown): number {
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n))
    throw path.error(key, `${JSON.stringify(v)} is not a whole number`);
  return n;
}

function hostRoute(path: ItemPath, i: number, r: JsonValue): JsonValue {
  const [prefix, via] = r as readonly [string, string];
  const field = `host_routes.${i}`;
  const text = prefix.includes('/') ? prefix : `${prefix}/32`;
  return [formatCidr(parseCidr(text, path.field(field), false)), via];
}

/** VLCP's pre_host_config items with their defaults, each address checked against its CIDR. */
export function preHostConfig(path: ItemPath, items: unknown, subnetCidr: string): JsonValue {
  if (!Array.isArray(items)) throw path.error('pre_host_config', 'must be a list');
  return items.map((raw: Record<string, JsonValue>, i: number) => {
    const field = `pre_host_config.${i}`;
    const d: Record<string, JsonValue> = { systemid: '%', bridge: '%', vhost: '', ...raw };
    const cidr = parseCidr(
      typeof d.cidr === 'string' ? d.cidr : subnetCidr,
      path.field(`${field}.cidr`),
      false,
    );
    if (typeof d.cidr === 'string') d.cidr = formatCidr(cidr);
    for (const a of ['local_address', 'gateway'] as const) {
      const text = d[a];
      if (text === undefined) continue;
      if (!contains(cidr, parseAddress(text, path.field(`${field}.${a}`)))) {
        throw path.error(`${field}.${a}`, `${String(text)} is not in ${formatCidr(cidr)}`);
      }
    }
    return d;
  });
}
