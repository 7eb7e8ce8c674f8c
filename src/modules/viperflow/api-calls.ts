/**
 * What every VLCP-style API list (viperflow's, vrouterapi's) does with a call: turns it into
 * items (a single call is a batch of one), runs a change or a delete as one transaction and
 * answers with the objects as stored or `{"status": "OK"}`, and lists the objects some keys
 * name that match the call's filters.
 */
import { randomUUID } from 'node:crypto';
import { InvalidKeyError, type JsonValue, type Key } from '../../objectdb';
import type { Params } from './attributes';
import { dumpKeys } from './dump';
import { type CallItem, ItemPath } from './item-path';
import { listKeys } from './list-ops';
import type { StagedTx } from './staged-tx';
import type { StoreAccess } from './store-access';

export type ChangeOp = (st: StagedTx, items: readonly CallItem[]) => Promise<Key[]>;
export type DeleteOp = (st: StagedTx, items: readonly CallItem[]) => Promise<void>;

/** An object created without an id gets a UUID (before the transaction, so retries keep it). */
function withId(p: Params): Params {
  return typeof p.id === 'string' && p.id !== '' ? p : { ...p, id: randomUUID() };
}

/** A single call as one item; `newId`: a create, which gets an id when it names none. */
export function one(params: Params, newId: boolean): CallItem[] {
  return [{ path: new ItemPath(''), params: newId ? withId(params) : params }];
}

/** A batch call: one item per entry of the list parameter `list`. */
export function many(list: string, params: Params, newId: boolean): CallItem[] {
  const arr = (params[list] ?? []) as readonly Params[];
  return arr.map((p, i) => ({ path: ItemPath.item(list, i), params: newId ? withId(p) : p }));
}

/** The parameters but `names` (and those left undefined): a list call's filters. */
export function without(params: Params, ...names: string[]): Params {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) if (!names.includes(k) && v !== undefined) out[k] = v;
  return out;
}

const OK = { status: 'OK' } as const;

export interface ApiCalls {
  /** Runs a create/update/add in one transaction; answers the objects as stored. */
  changed(op: ChangeOp, items: CallItem[]): Promise<JsonValue>;
  /** Runs a delete/remove in one transaction; answers `{"status": "OK"}`. */
  removed(op: DeleteOp, items: CallItem[]): Promise<typeof OK>;
  /** The objects of the candidate keys that match `filters`; an id no key can hold names none. */
  list(candidates: (st: StagedTx) => Promise<Key[]>, filters: Params): Promise<JsonValue>;
}

export function apiCalls(store: StoreAccess): ApiCalls {
  return {
    changed: (op, items) => store.write(async (st) => dumpKeys(st, await op(st, items))),
    async removed(op, items) {
      await store.write((st) => op(st, items));
      return OK;
    },
    list: (candidates, filters) =>
      store.read(async (st): Promise<JsonValue> => {
        let keys: Key[];
        try {
          keys = await candidates(st);
        } catch (e) {
          if (e instanceof InvalidKeyError) return [];
          throw e;
        }
        return listKeys(st, keys, filters);
      }),
  };
}
