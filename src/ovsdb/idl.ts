/**
 * A local replica of chosen tables of one OVSDB database, kept current by a monitor, with a
 * row event on the Scheduler for every insert, update and delete.
 */
import { defineEvent, type Scheduler } from '../async';
import type { OvsdbClient } from './client';
import { type ColumnType, type Datum, datumFromWire, datumToWire, isSetType, isUuid } from './datum';
import { OvsdbRequestError } from './errors';
import { type JsonValue, stringifyJson } from './json-stream';
import { type DatabaseSchema, OvsdbSchemaError, parseSchema } from './schema';

export type Row = Readonly<Record<string, Datum>>;

export interface RowChange {
  readonly db: string;
  readonly table: string;
  readonly uuid: string;
  readonly change: 'insert' | 'update' | 'delete';
  /** The row now (undefined after a delete). */
  readonly row: Row | undefined;
  /** The row before (undefined for an insert). */
  readonly old: Row | undefined;
}

export const OvsdbRowEvent = defineEvent<RowChange>()('ovsdb.row', ['db', 'table', 'change']);

/** Tables to replicate: a list of columns, or 'all'. */
export type TableSelection = Readonly<Record<string, readonly string[] | 'all'>>;

let monitorSeq = 0;

export class Idl {
  private readonly tables = new Map<string, Map<string, Row>>();
  private schemaValue: DatabaseSchema | undefined;
  private readonly monitorId = `idl-${++monitorSeq}`;
  /** The server's id of the last transaction seen (monitor_cond_since), to resume from. */
  private lastTxnId: string | undefined;
  private resumed = false;
  private listeners: ((changes: readonly RowChange[]) => void)[] = [];

  constructor(
    private client: OvsdbClient,
    readonly db: string,
    private readonly selection: TableSelection,
    private readonly scheduler?: Scheduler,
  ) {}

  /** The last transaction id seen, when the server supports monitor_cond_since (resume point). */
  get lastTransactionId(): string | undefined {
    return this.lastTxnId;
  }

  /**
   * Whether the last (re)synchronisation resumed from `lastTransactionId`: the server still
   * had that transaction in its history (a clustered database) and sent only what changed
   * since. False after a full reload (first start, standalone database, history too short).
   */
  get lastSyncResumed(): boolean {
    return this.resumed;
  }

  /** The client the replica currently monitors through (transactions go there too). */
  get connection(): OvsdbClient {
    return this.client;
  }

  get schema(): DatabaseSchema {
    if (this.schemaValue === undefined) throw new Error('IDL not started');
    return this.schemaValue;
  }

  /** Reads the schema, starts the monitor and loads the initial contents. */
  async start(): Promise<void> {
    await this.monitorOn(this.client, false);
  }

  /**
   * Moves the replica to a new connection (after a reconnect, or a server restart): monitors
   * again and reports the difference between what it held and what the server has now —
   * rows that vanished meanwhile are deleted, changed rows updated, new rows inserted.
   */
  async resync(client: OvsdbClient): Promise<void> {
    this.client = client;
    await this.monitorOn(client, true);
  }

  private async monitorOn(client: OvsdbClient, reconcile: boolean): Promise<void> {
    const schema = parseSchema(await client.getSchema(this.db));
    this.schemaValue = schema;
    const columns = new Map<string, readonly string[]>();
    for (const [table, cols] of Object.entries(this.selection)) {
      const t = schema.tables.get(table);
      if (t === undefined) throw new OvsdbSchemaError(`database ${this.db} has no table ${table}`);
      if (cols !== 'all') {
        for (const c of cols)
          if (!t.columns.has(c)) throw new OvsdbSchemaError(`table ${table} has no column ${c}`);
      }
      columns.set(table, cols === 'all' ? [...t.columns.keys()].filter((c) => !c.startsWith('_')) : cols);
      if (!this.tables.has(table)) this.tables.set(table, new Map());
    }
    // Notifications that arrive before the reply has been applied wait here, in order.
    const early: (() => void)[] = [];
    let applied = false;
    const later = (f: () => void) => (applied ? f() : early.push(f));
    const finish = () => {
      applied = true;
      for (const f of early.splice(0)) f();
    };
    try {
      const requests = Object.fromEntries([...columns].map(([t, cols]) => [t, [{ columns: cols }]]));
      const reply = (await client.monitor(
        'monitor_cond_since',
        this.db,
        this.monitorId,
        requests,
        (method, params) => {
          if (method === 'update3' && typeof params[1] === 'string') this.lastTxnId = params[1];
          const updates = method === 'update3' ? params[2] : params[1];
          later(() => this.apply2(updates ?? null, columns));
        },
        this.lastTxnId,
      )) as [boolean, string, JsonValue];
      const [found, last, updates] = reply;
      this.lastTxnId = last;
      this.resumed = found && reconcile;
      if (found && reconcile) {
        // The server still had our last transaction: what came is only what we missed.
        this.apply2(updates, columns);
      } else {
        this.apply2(updates, columns, reconcile ? this.takeAll() : undefined);
      }
      finish();
      return;
    } catch (e) {
      if (!(e instanceof OvsdbRequestError)) throw e;
      // An older server: fall back to monitor version 1.
    }
    this.resumed = false;
    const before = reconcile ? this.takeAll() : undefined;
    const requests = Object.fromEntries([...columns].map(([t, cols]) => [t, { columns: cols }]));
    const initial = await client.monitor('monitor', this.db, this.monitorId, requests, (_m, params) =>
      later(() => this.apply(params[1] ?? null)),
    );
    this.apply(initial, before);
    finish();
  }

  /** Empties the replica and returns what it held, to reconcile a full reload against. */
  private takeAll(): Map<string, Map<string, Row>> {
    const before = new Map([...this.tables].map(([t, rows]) => [t, new Map(rows)]));
    for (const rows of this.tables.values()) rows.clear();
    return before;
  }

  /**
   * Applies `<table-updates2>` (monitor_cond): `initial`/`insert` give the row without its
   * default-valued columns, `modify` gives differences (a set's elements and a map's pairs
   * toggle; a scalar is replaced), `delete` removes.
   */
  private apply2(
    updates: JsonValue,
    columns: ReadonlyMap<string, readonly string[]>,
    before?: Map<string, Map<string, Row>>,
  ): void {
    const v1: Record<string, Record<string, { new?: Record<string, JsonValue> }>> = {};
    const rowsNow = new Map<string, Map<string, Record<string, Datum>>>();
    if (updates !== null && typeof updates === 'object' && !Array.isArray(updates)) {
      for (const [table, rows] of Object.entries(updates)) {
        const tschema = this.schemaValue?.tables.get(table);
        const replica = this.tables.get(table);
        if (
          tschema === undefined ||
          replica === undefined ||
          rows === null ||
          typeof rows !== 'object' ||
          Array.isArray(rows)
        )
          continue;
        const out: Record<string, { new?: Record<string, JsonValue> }> = {};
        for (const [uuid, u] of Object.entries(rows)) {
          const upd = u as {
            initial?: Record<string, JsonValue>;
            insert?: Record<string, JsonValue>;
            modify?: Record<string, JsonValue>;
          };
          const full = upd.initial ?? upd.insert;
          let row: Record<string, Datum> | undefined;
          if (full !== undefined) {
            row = {};
            for (const c of columns.get(table) ?? []) {
              const t = tschema.columns.get(c);
              if (t !== undefined) row[c] = defaultDatum(t);
            }
            for (const [c, v] of Object.entries(full))
              row[c] = datumFromWire(v, tschema.columns.get(c), `${table}.${c}`);
          } else if (upd.modify !== undefined) {
            const old = replica.get(uuid);
            row = { ...(old ?? {}) };
            for (const [c, v] of Object.entries(upd.modify)) {
              const t = tschema.columns.get(c);
              row[c] = applyDiff(row[c], datumFromWire(v, t, `${table}.${c}`), t);
            }
          }
          if (row === undefined) out[uuid] = {};
          else {
            out[uuid] = { new: {} };
            const m = rowsNow.get(table) ?? new Map<string, Record<string, Datum>>();
            rowsNow.set(table, m);
            m.set(uuid, row);
          }
        }
        v1[table] = out;
      }
    }
    this.apply(v1 as JsonValue, before, rowsNow);
  }
  /** Calls `listener` with each batch of changes (one per update notification). */
  onChange(listener: (changes: readonly RowChange[]) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  rows(table: string): ReadonlyMap<string, Row> {
    const t = this.tables.get(table);
    if (t === undefined) throw new OvsdbSchemaError(`table ${table} is not replicated`);
    return t;
  }

  row(table: string, uuid: string): Row | undefined {
    return this.rows(table).get(uuid);
  }

  /**
   * Applies a `<table-updates>` object (RFC 7047 4.1.6) of monitor version 1. With `before`
   * (a resync), rows are compared with what the replica held before, and rows missing from
   * the new contents are reported deleted.
   */
  private apply(
    updates: JsonValue,
    before?: Map<string, Map<string, Row>>,
    prepared?: ReadonlyMap<string, ReadonlyMap<string, Record<string, Datum>>>,
  ): void {
    const changes: RowChange[] = [];
    if (updates !== null && typeof updates === 'object' && !Array.isArray(updates))
      this.applyRows(updates, changes, before, prepared);
    if (before !== undefined) {
      for (const [table, rows] of before) {
        const now = this.tables.get(table)!;
        for (const [uuid, old] of rows) {
          if (!now.has(uuid))
            changes.push({ db: this.db, table, uuid, change: 'delete', row: undefined, old });
        }
      }
    }
    if (changes.length === 0) return;
    for (const c of changes) this.scheduler?.emit(OvsdbRowEvent.create(c));
    for (const l of this.listeners) l(changes);
  }

  private applyRows(
    updates: { [table: string]: JsonValue },
    changes: RowChange[],
    before?: Map<string, Map<string, Row>>,
    prepared?: ReadonlyMap<string, ReadonlyMap<string, Record<string, Datum>>>,
  ): void {
    for (const [table, rows] of Object.entries(updates)) {
      const replica = this.tables.get(table);
      const tschema = this.schemaValue?.tables.get(table);
      if (
        replica === undefined ||
        tschema === undefined ||
        rows === null ||
        typeof rows !== 'object' ||
        Array.isArray(rows)
      ) {
        continue;
      }
      for (const [uuid, u] of Object.entries(rows)) {
        const upd = u as { old?: Record<string, JsonValue>; new?: Record<string, JsonValue> };
        const old = before?.get(table)?.get(uuid) ?? replica.get(uuid);
        if (upd.new === undefined) {
          replica.delete(uuid);
          changes.push({ db: this.db, table, uuid, change: 'delete', row: undefined, old });
          continue;
        }
        // A full row on resync; on an update, v1 "new" carries every monitored column anyway.
        const row: Record<string, Datum> =
          prepared?.get(table)?.get(uuid) ?? (before !== undefined ? {} : { ...(old ?? {}) });
        if (prepared === undefined) {
          for (const [col, v] of Object.entries(upd.new)) {
            row[col] = datumFromWire(v, tschema.columns.get(col), `${table}.${col}`);
          }
        }
        row._uuid = { uuid };
        Object.freeze(row);
        replica.set(uuid, row);
        if (old !== undefined && before !== undefined && sameRow(old, row)) continue;
        changes.push({ db: this.db, table, uuid, change: old === undefined ? 'insert' : 'update', row, old });
      }
    }
  }
}

function sameRow(a: Row, b: Row): boolean {
  return stringifyJson(rowJson(a)) === stringifyJson(rowJson(b));
}

function rowJson(r: Row): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const k of Object.keys(r).sort()) out[k] = datumToWire(r[k]!);
  return out;
}

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

/** The value a column has when update2 leaves it out. */
function defaultDatum(t: ColumnType): Datum {
  if (t.value !== undefined) return new Map();
  if (isSetType(t)) return [];
  switch (t.key) {
    case 'integer':
    case 'real':
      return 0;
    case 'boolean':
      return false;
    case 'uuid':
      return { uuid: ZERO_UUID };
    default:
      return '';
  }
}

function sameAtom(a: unknown, b: unknown): boolean {
  return isUuid(a) && isUuid(b) ? a.uuid === b.uuid : a === b;
}

/**
 * Applies an update2 `modify` difference to one column's value. An optional column (a set
 * of at most one element) carries its new value, not a difference: ovsdb-server sends
 * `7` when a tag goes from 42 to 7 (toggling would leave both).
 */
function applyDiff(current: Datum | undefined, diff: Datum, t: ColumnType | undefined): Datum {
  if (t !== undefined && t.value === undefined && t.max === 1) return diff;
  if (diff instanceof Map) {
    const m = new Map(current instanceof Map ? current : []);
    for (const [k, v] of diff) {
      if (m.has(k) && sameAtom(m.get(k), v)) m.delete(k);
      else m.set(k, v);
    }
    return m;
  }
  if (Array.isArray(diff) && (t === undefined || isSetType(t))) {
    const items = Array.isArray(current) ? [...current] : [];
    for (const e of diff) {
      const i = items.findIndex((x) => sameAtom(x, e));
      if (i >= 0) items.splice(i, 1);
      else items.push(e);
    }
    return items;
  }
  return diff;
}
