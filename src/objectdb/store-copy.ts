/**
 * The whole store as one consistent copy, and that copy written back into an empty store:
 * what a backup, a restore and a move between backends (embedded -> Redis) are made of.
 */
import { PartialImportError, StoreChangingError, StoreNotEmptyError } from './errors';
import { DEFAULT_MAX_VALUE_BYTES, decodeValue, encodeValue, type JsonValue } from './json-value';
import type { Key } from './key';
import type { ObjectDb } from './objectdb';

export interface StoreCopy {
  /** The commit sequence number the copy is the state at. */
  readonly seq: number;
  readonly values: ReadonlyMap<Key, JsonValue>;
}

/**
 * Every key with its value, at one moment: the key list and the values are read between two
 * looks at the commit sequence, and taken again if a commit came in between.
 */
export async function copyStore(db: ObjectDb, attempts = 20): Promise<StoreCopy> {
  const backend = db.backend;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const before = (await backend.read([])).seq;
    const keys = await backend.keys();
    const snap = await backend.read(keys);
    if (snap.seq === before) {
      const values = new Map<Key, JsonValue>();
      for (const k of [...keys].sort()) {
        const v = decodeValue(snap.values.get(k)?.text ?? null);
        if (v !== null) values.set(k, v);
      }
      return { seq: snap.seq, values };
    }
    await new Promise((r) => setTimeout(r, Math.min(2 ** attempt, 200)));
  }
  throw new StoreChangingError(attempts);
}

export interface ImportResult {
  readonly keys: number;
  readonly transactions: number;
}

/**
 * Writes `values` into a store that holds nothing (StoreNotEmptyError otherwise, nothing
 * written). Every value is checked before anything is written. Transactions carry at most
 * about `chunkBytes` each, so a large copy fits ZooKeeper's request limit; should a later
 * one fail, PartialImportError says how much was written.
 */
export async function importStore(
  db: ObjectDb,
  values: ReadonlyMap<Key, JsonValue>,
  chunkBytes = 256 * 1024,
): Promise<ImportResult> {
  const chunks: Key[][] = [];
  let current: Key[] = [];
  let size = 0;
  for (const [k, v] of values) {
    const bytes = k.length + encodeValue(k, v, DEFAULT_MAX_VALUE_BYTES).length;
    if (current.length > 0 && size + bytes > chunkBytes) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(k);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);

  const present = (await copyStore(db)).values;
  if (present.size > 0) throw new StoreNotEmptyError(present.size, [...present.keys()].slice(0, 3));

  let written = 0;
  for (const chunk of chunks) {
    try {
      const { result: taken } = await db.walk(async (tx) => {
        const cur = await tx.getMany(chunk);
        const held = chunk.filter((_, j) => cur[j] !== null);
        // Someone wrote meanwhile: write nothing of this chunk.
        if (held.length > 0) return held;
        for (const k of chunk) tx.set(k, values.get(k)!);
        return [];
      });
      if (taken.length > 0) throw new StoreNotEmptyError(taken.length, taken.slice(0, 3));
    } catch (e) {
      // Nothing written yet: the error as it is; after that, how far the import got.
      if (written === 0) throw e;
      throw new PartialImportError(written, values.size, e);
    }
    written += chunk.length;
  }
  return { keys: values.size, transactions: chunks.length };
}
