/** The parts of an OVSDB schema (RFC 7047 3.2) the IDL needs: tables, columns, column types. */
import type { ColumnType } from './datum';
import type { JsonValue } from './json-stream';

export interface TableSchema {
  readonly name: string;
  readonly columns: ReadonlyMap<string, ColumnType>;
}

export interface DatabaseSchema {
  readonly name: string;
  readonly version: string;
  readonly tables: ReadonlyMap<string, TableSchema>;
}

export class OvsdbSchemaError extends Error {
  override readonly name = 'OvsdbSchemaError';
}

function baseType(t: unknown, where: string): string {
  if (typeof t === 'string') return t;
  if (t !== null && typeof t === 'object' && typeof (t as { type?: unknown }).type === 'string')
    return (t as { type: string }).type;
  throw new OvsdbSchemaError(`${where}: bad base type ${JSON.stringify(t)}`);
}

function columnType(t: unknown, where: string): ColumnType {
  if (typeof t === 'string') return { key: t, min: 1, max: 1 };
  if (t === null || typeof t !== 'object')
    throw new OvsdbSchemaError(`${where}: bad type ${JSON.stringify(t)}`);
  const o = t as { key?: unknown; value?: unknown; min?: unknown; max?: unknown };
  const max = o.max === 'unlimited' ? Number.POSITIVE_INFINITY : typeof o.max === 'number' ? o.max : 1;
  const min = typeof o.min === 'number' ? o.min : 1;
  return {
    key: baseType(o.key, where),
    ...(o.value !== undefined ? { value: baseType(o.value, where) } : {}),
    min,
    max,
  };
}

export function parseSchema(v: JsonValue): DatabaseSchema {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || typeof v.name !== 'string') {
    throw new OvsdbSchemaError('schema is not an object with a name');
  }
  const tables = new Map<string, TableSchema>();
  const rawTables = v.tables;
  if (rawTables === null || typeof rawTables !== 'object' || Array.isArray(rawTables)) {
    throw new OvsdbSchemaError(`schema ${v.name}: no tables`);
  }
  for (const [name, t] of Object.entries(rawTables)) {
    const cols = (t as { columns?: Record<string, { type: unknown }> }).columns ?? {};
    const columns = new Map<string, ColumnType>();
    for (const [c, def] of Object.entries(cols)) columns.set(c, columnType(def.type, `${name}.${c}`));
    // Every table also has these two.
    columns.set('_uuid', { key: 'uuid', min: 1, max: 1 });
    columns.set('_version', { key: 'uuid', min: 1, max: 1 });
    tables.set(name, { name, columns });
  }
  return { name: v.name, version: typeof v.version === 'string' ? v.version : '', tables };
}
