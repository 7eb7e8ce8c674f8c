/**
 * Objects as the API returns them, in VLCP's dump form: the stored attributes plus `_type`
 * (VLCP's class name) and `_key`, with every reference replaced by the object it points at
 * (so `port.network.physicalnetwork.id` reads as in VLCP). A reference to nothing shows as
 * `{"_ref": key}`; an object met again inside itself as just its `_type` and `_key`.
 */
import { isRef, type JsonObject, type JsonValue, type Key } from '../../objectdb';
import type { StagedTx } from './staged-tx';

const TYPES: readonly [RegExp, string][] = [
  [/^viperflow\.physicalnetwork\./, 'vlcp.utils.networkmodel.PhysicalNetwork'],
  [/^viperflow\.physicalport\./, 'vlcp.utils.networkmodel.PhysicalPort'],
  [/^viperflow\.logicalnetwork\./, 'vlcp.utils.networkmodel.LogicalNetwork'],
  [/^viperflow\.logicalport\./, 'vlcp.utils.networkmodel.LogicalPort'],
  [/^viperflow\.subnet\./, 'vlcp.utils.networkmodel.SubNet'],
  // A subnet's `router` reaches vrouterapi's objects, so any dump may meet them (by key
  // prefix only: viperflow does not depend on vrouterapi).
  [/^vrouterapi\.virtualrouter\./, 'vlcp.utils.networkmodel.VRouter'],
  [/^vrouterapi\.routerport\./, 'vlcp.utils.networkmodel.RouterPort'],
];

function typeOf(key: string): string {
  return TYPES.find(([re]) => re.test(key))?.[1] ?? 'vlcp.utils.dataobject.DataObject';
}

export async function dumpKey(
  st: StagedTx,
  key: Key,
  inside: ReadonlySet<string> = new Set(),
): Promise<JsonValue> {
  const value = await st.get<JsonValue>(key);
  if (value === null) return { _ref: key };
  const head = { _type: typeOf(key), _key: key };
  if (inside.has(key) || typeof value !== 'object' || Array.isArray(value)) return head;
  const within = new Set(inside).add(key);
  const out: Record<string, JsonValue> = { ...head };
  for (const [k, v] of Object.entries(value as JsonObject)) out[k] = await expand(st, v, within);
  return out;
}

async function expand(st: StagedTx, v: JsonValue, inside: ReadonlySet<string>): Promise<JsonValue> {
  if (isRef(v)) return dumpKey(st, v.$ref as Key, inside);
  if (Array.isArray(v)) {
    const out: JsonValue[] = [];
    for (const x of v as readonly JsonValue[]) out.push(await expand(st, x, inside));
    return out;
  }
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, JsonValue> = {};
    for (const [k, x] of Object.entries(v)) out[k] = await expand(st, x, inside);
    return out;
  }
  return v;
}

/** Dumps several objects, reading the objects they point at in one round trip first. */
export async function dumpKeys(st: StagedTx, keys: readonly Key[]): Promise<JsonValue[]> {
  await st.load(keys);
  const refs: Key[] = [];
  for (const k of keys) {
    const v = await st.get<JsonValue>(k);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      for (const x of Object.values(v as JsonObject)) if (isRef(x)) refs.push(x.$ref as Key);
    }
  }
  await st.load(refs);
  const out: JsonValue[] = [];
  for (const k of keys) out.push(await dumpKey(st, k));
  return out;
}
