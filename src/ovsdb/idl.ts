/**
 * A local replica of chosen tables of one OVSDB database, kept current by a monitor, with a
 * row event on the Scheduler for every insert, update and delete.
 */
import { defineEvent, type Scheduler } from '../async';
import type { OvsdbClient } from './client';
import { type Datum, datumFromWire, datumToWire } from './datum';
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
  private listeners: ((changes: readonly RowChange[]) => void)[] = [];

  constructor(
    private client: OvsdbClient,
    readonly db: string,
    private readonly selection: TableSelection,
    private readonly scheduler?: Scheduler,
  ) {}

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
    this.schemaValue = parseSchema(await client.getSchema(this.db));
    const requests: Record<string, unknown> = {};
    for (const [table, cols] of Object.entries(this.selection)) {
      const t = this.schemaValue.tables.get(table);
      if (t === undefined) throw new OvsdbSchemaError(`database ${this.db} has no table ${table}`);
      if (cols !== 'all') {
        for (const c of cols)
          if (!t.columns.has(c)) throw new OvsdbSchemaError(`table ${table} has no column ${c}`);
      }
      requests[table] = cols === 'all' ? {} : { columns: cols };
      if (!this.tables.has(table)) this.tables.set(table, new Map());
    }
    const before = reconcile ? new Map([...this.tables].map(([t, rows]) => [t, new Map(rows)])) : undefined;
    if (before !== undefined) for (const rows of this.tables.values()) rows.clear();
    const initial = await client.monitor('monitor', this.db, this.monitorId, requests, (_m, params) =>
      this.apply(params[1] ?? null),
    );
    this.apply(initial, before);
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
  private apply(updates: JsonValue, before?: Map<string, Map<string, Row>>): void {
    const changes: RowChange[] = [];
    if (updates !== null && typeof updates === 'object' && !Array.isArray(updates))
      this.applyRows(updates, changes, before);
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
        const row: Record<string, Datum> = before !== undefined ? {} : { ...(old ?? {}) };
        for (const [col, v] of Object.entries(upd.new)) {
          row[col] = datumFromWire(v, tschema.columns.get(col), `${table}.${col}`);
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
