/**
 * A local replica of chosen tables of one OVSDB database, kept current by a monitor, with a
 * row event on the Scheduler for every insert, update and delete.
 */
import { defineEvent, type Scheduler } from '../async';
import type { OvsdbClient } from './client';
import { type Datum, datumFromWire } from './datum';
import type { JsonValue } from './json-stream';
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
    private readonly client: OvsdbClient,
    readonly db: string,
    private readonly selection: TableSelection,
    private readonly scheduler?: Scheduler,
  ) {}

  get schema(): DatabaseSchema {
    if (this.schemaValue === undefined) throw new Error('IDL not started');
    return this.schemaValue;
  }

  /** Reads the schema, starts the monitor and loads the initial contents. */
  async start(): Promise<void> {
    this.schemaValue = parseSchema(await this.client.getSchema(this.db));
    const requests: Record<string, unknown> = {};
    for (const [table, cols] of Object.entries(this.selection)) {
      const t = this.schemaValue.tables.get(table);
      if (t === undefined) throw new OvsdbSchemaError(`database ${this.db} has no table ${table}`);
      if (cols !== 'all') {
        for (const c of cols)
          if (!t.columns.has(c)) throw new OvsdbSchemaError(`table ${table} has no column ${c}`);
      }
      requests[table] = cols === 'all' ? {} : { columns: cols };
      this.tables.set(table, new Map());
    }
    const initial = await this.client.monitor('monitor', this.db, this.monitorId, requests, (_m, params) =>
      this.apply(params[1] ?? null),
    );
    this.apply(initial);
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

  /** Applies a `<table-updates>` object (RFC 7047 4.1.6) of monitor version 1. */
  private apply(updates: JsonValue): void {
    if (updates === null || typeof updates !== 'object' || Array.isArray(updates)) return;
    const changes: RowChange[] = [];
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
        const old = replica.get(uuid);
        if (upd.new === undefined) {
          replica.delete(uuid);
          changes.push({ db: this.db, table, uuid, change: 'delete', row: undefined, old });
          continue;
        }
        const row: Record<string, Datum> = { ...(old ?? {}) };
        for (const [col, v] of Object.entries(upd.new)) {
          row[col] = datumFromWire(v, tschema.columns.get(col), `${table}.${col}`);
        }
        row._uuid = { uuid };
        Object.freeze(row);
        replica.set(uuid, row);
        changes.push({ db: this.db, table, uuid, change: old === undefined ? 'insert' : 'update', row, old });
      }
    }
    if (changes.length === 0) return;
    for (const c of changes) this.scheduler?.emit(OvsdbRowEvent.create(c));
    for (const l of this.listeners) l(changes);
  }
}
