/**
 * Typed data objects on top of keys: `<prefix>.<id>` holds one object, `<prefix>set` holds
 * references to all of them, and `<prefix>.index.<name>.<value>` hold references for a
 * secondary index. References are `{ "$ref": key }`, resolved lazily inside a transaction.
 */
import { DanglingReferenceError } from './errors';
import type { JsonObject, JsonValue } from './json-value';
import { type Key, toKey } from './key';
import type { WalkTx } from './transaction';

export interface Ref extends JsonObject {
  readonly $ref: string;
}

export function ref(key: string): Ref {
  return { $ref: toKey(key) };
}

export function isRef(v: JsonValue | undefined): v is Ref {
  return (
    typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as JsonObject).$ref === 'string'
  );
}

/** `v` when it is a JSON object (not null, not an array), else undefined. */
export function asObject(v: JsonValue | null | undefined): JsonObject | undefined {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v)
    ? (v as JsonObject)
    : undefined;
}

/** The keys a list of references points at (non-references and non-lists give none). */
export function refTargets(v: JsonValue | null | undefined): string[] {
  return Array.isArray(v) ? (v as readonly JsonValue[]).filter(isRef).map((r) => r.$ref) : [];
}

/** Every key referenced anywhere inside `value` (a default `follow` for watchWalk). */
export function refsIn(value: JsonValue): Key[] {
  const out: Key[] = [];
  const visit = (v: JsonValue): void => {
    if (Array.isArray(v)) for (const x of v as readonly JsonValue[]) visit(x);
    else if (isRef(v)) out.push(toKey(v.$ref));
    else if (typeof v === 'object' && v !== null) for (const x of Object.values(v)) visit(x);
  };
  visit(value);
  return out;
}

export interface IndexDef<T> {
  readonly name: string;
  /** The indexed value of an object, or null when it is not indexed. */
  readonly of: (obj: T) => string | null;
}

export interface ObjectType<T extends JsonObject> {
  readonly prefix: string;
  readonly setKey: Key;
  key(id: string): Key;
  ref(id: string): Ref;
  indexKey(index: string, value: string): Key;
  get(tx: WalkTx, id: string): Promise<T | null>;
  /** Follows `r`: strong throws DanglingReferenceError when nothing is there, weak returns null. */
  resolve(tx: WalkTx, r: Ref, mode: 'strong' | 'weak'): Promise<T | null>;
  /** Creates or replaces the object, keeping the set and every index in the same transaction. */
  put(tx: WalkTx, id: string, obj: T): Promise<void>;
  remove(tx: WalkTx, id: string): Promise<boolean>;
  /** Ids of all objects (from the set key). */
  list(tx: WalkTx): Promise<string[]>;
  /** Ids of objects whose index `name` has `value`. */
  lookup(tx: WalkTx, name: string, value: string): Promise<string[]>;
}

export function defineObjectType<T extends JsonObject>(
  prefix: string,
  indices: readonly IndexDef<T>[] = [],
): ObjectType<T> {
  toKey(prefix);
  const key = (id: string): Key => toKey(`${prefix}.${id}`);
  const setKey = toKey(`${prefix}set`);
  const indexKey = (name: string, value: string): Key => toKey(`${prefix}.index.${name}.${value}`);
  const idOf = (k: string): string => k.slice(prefix.length + 1);

  const readSet = async (tx: WalkTx, k: Key): Promise<string[]> => {
    return refTargets(await tx.get(k));
  };
  const writeSet = (tx: WalkTx, k: Key, keys: string[]): void => {
    if (keys.length === 0) tx.delete(k);
    else
      tx.set(
        k,
        keys.map((x) => ref(x)),
      );
  };
  const updateIndices = async (tx: WalkTx, id: string, before: T | null, after: T | null): Promise<void> => {
    for (const ix of indices) {
      const a = before ? ix.of(before) : null;
      const b = after ? ix.of(after) : null;
      if (a === b) continue;
      if (a !== null) {
        const k = indexKey(ix.name, a);
        writeSet(
          tx,
          k,
          (await readSet(tx, k)).filter((x) => x !== key(id)),
        );
      }
      if (b !== null) {
        const k = indexKey(ix.name, b);
        const cur = await readSet(tx, k);
        if (!cur.includes(key(id))) writeSet(tx, k, [...cur, key(id)]);
      }
    }
  };

  const type: ObjectType<T> = {
    prefix,
    setKey,
    key,
    ref: (id) => ref(key(id)),
    indexKey,
    async get(tx, id) {
      return (await tx.get(key(id))) as T | null;
    },
    async resolve(tx, r, mode) {
      const v = (await tx.get(r.$ref)) as T | null;
      if (v === null && mode === 'strong') throw new DanglingReferenceError(r.$ref);
      return v;
    },
    async put(tx, id, obj) {
      const before = await type.get(tx, id);
      tx.set(key(id), obj);
      if (before === null) {
        const cur = await readSet(tx, setKey);
        if (!cur.includes(key(id))) writeSet(tx, setKey, [...cur, key(id)]);
      }
      await updateIndices(tx, id, before, obj);
    },
    async remove(tx, id) {
      const before = await type.get(tx, id);
      if (before === null) return false;
      tx.delete(key(id));
      writeSet(
        tx,
        setKey,
        (await readSet(tx, setKey)).filter((x) => x !== key(id)),
      );
      await updateIndices(tx, id, before, null);
      return true;
    },
    async list(tx) {
      return (await readSet(tx, setKey)).map(idOf);
    },
    async lookup(tx, name, value) {
      return (await readSet(tx, indexKey(name, value))).map(idOf);
    },
  };
  return type;
}
