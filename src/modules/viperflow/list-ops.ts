/**
 * The list APIs: one object by its id, the children of a parent (from the parent's map), or
 * every object of a kind (from its set), each kept when every extra parameter matches the
 * attribute of that name (VLCP's `**kwargs` filters).
 */
import { asObject, isRef, type JsonValue, type Key, refTargets } from '../../objectdb';
import type { Params } from './attributes';
import { dumpKeys } from './dump';
import { idOfKey } from './keys';
import type { StagedTx } from './staged-tx';

/**
 * Whether a stored attribute matches a filter value: equal as JSON; or a reference to the
 * object with that id (`subnet=<id>`); or, for a query-string value, the text of a stored
 * number or boolean (`vlanid=100`). A filter of null matches an absent attribute, as in VLCP.
 */
export function matches(stored: JsonValue | undefined, wanted: unknown): boolean {
  if (stored === undefined) return wanted === null;
  if (isRef(stored) && typeof wanted === 'string') {
    for (const kind of ['physicalnetwork', 'logicalnetwork', 'subnet', 'logicalport'] as const) {
      if (idOfKey(kind, stored.$ref) === wanted) return true;
    }
    return stored.$ref === wanted;
  }
  if (typeof wanted === 'string' && (typeof stored === 'number' || typeof stored === 'boolean')) {
    return String(stored) === wanted;
  }
  return deepEqual(stored, wanted);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every(
      (k) =>
        Object.hasOwn(b, k) &&
        deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}

/** The dumps of those `candidates` that exist and pass every filter. */
export async function listKeys(
  st: StagedTx,
  candidates: readonly Key[],
  filters: Params,
): Promise<JsonValue[]> {
  await st.load(candidates);
  const kept: Key[] = [];
  const entries = Object.entries(filters).filter(([, v]) => v !== undefined);
  for (const k of candidates) {
    const obj = await st.get<Record<string, JsonValue>>(k);
    if (obj === null) continue;
    if (entries.every(([f, v]) => matches(obj[f], v))) kept.push(k);
  }
  return dumpKeys(st, kept);
}

/** The keys a set or a map's list of references names. */
export async function refsAt(st: StagedTx, key: Key, field?: string): Promise<Key[]> {
  const v = await st.get<JsonValue>(key);
  return refTargets(field === undefined ? v : asObject(v)?.[field]) as Key[];
}
