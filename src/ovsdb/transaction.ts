/**
 * Transactions against an IDL replica with optimistic checks: every row value the updater
 * reads becomes a `wait` operation (until ==, timeout 0) in front of its writes, so the
 * server applies the writes only if nothing it read has changed; if something has, the
 * transaction is retried once the replica has caught up.
 */
import { type Datum, datumToWire, namedUuid } from './datum';
import { OvsdbTransactionError } from './errors';
import type { Idl, Row } from './idl';
import type { JsonValue } from './json-stream';

export class IdlTransactionConflictError extends Error {
  override readonly name = 'IdlTransactionConflictError';
  constructor(readonly attempts: number) {
    super(`OVSDB transaction still conflicted after ${attempts} attempts`);
  }
}

export class IdlTransaction {
  private readonly waits: unknown[] = [];
  private readonly ops: unknown[] = [];
  private named = 0;

  constructor(private readonly idl: Idl) {}

  /** Reads columns of a row from the replica; the commit checks they are unchanged. */
  read(table: string, rowUuid: string, columns: readonly string[]): Row | undefined {
    const row = this.idl.row(table, rowUuid);
    const where = [['_uuid', '==', ['uuid', rowUuid]]];
    if (row === undefined) {
      // Absent now: the commit checks it is still absent.
      this.waits.push({ op: 'wait', table, where, columns: ['_uuid'], until: '==', rows: [], timeout: 0 });
      return undefined;
    }
    const expected: Record<string, JsonValue> = {};
    for (const c of columns) if (row[c] !== undefined) expected[c] = datumToWire(row[c]!);
    this.waits.push({
      op: 'wait',
      table,
      where,
      columns: Object.keys(expected),
      until: '==',
      rows: [expected],
      timeout: 0,
    });
    return row;
  }

  /** Inserts a row; returns a reference usable in the same transaction. */
  insert(table: string, row: Readonly<Record<string, Datum>>): { readonly namedUuid: string } {
    const name = `row${this.named++}`;
    this.ops.push({ op: 'insert', table, row: wireRow(row), 'uuid-name': name });
    return namedUuid(name);
  }

  update(table: string, rowUuid: string, row: Readonly<Record<string, Datum>>): void {
    this.ops.push({ op: 'update', table, where: [['_uuid', '==', ['uuid', rowUuid]]], row: wireRow(row) });
  }

  /** `mutations`: [column, mutator, value] as RFC 7047 5.1 has them. */
  mutate(table: string, rowUuid: string, mutations: readonly (readonly [string, string, Datum])[]): void {
    this.ops.push({
      op: 'mutate',
      table,
      where: [['_uuid', '==', ['uuid', rowUuid]]],
      mutations: mutations.map(([c, m, v]) => [c, m, datumToWire(v)]),
    });
  }

  delete(table: string, rowUuid: string): void {
    this.ops.push({ op: 'delete', table, where: [['_uuid', '==', ['uuid', rowUuid]]] });
  }

  /** @internal the operations to send, checks first. */
  operations(): unknown[] {
    return [...this.waits, ...this.ops];
  }

  /** @internal how many leading operations are checks. */
  get checks(): number {
    return this.waits.length;
  }
}

function wireRow(row: Readonly<Record<string, Datum>>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(row)) out[k] = datumToWire(v);
  return out;
}

/**
 * Runs `build` against the current replica and commits; when a check fails (another writer
 * got there first), waits for the replica to change and runs `build` again, up to `attempts`.
 */
export async function transactIdl<T>(
  idl: Idl,
  build: (txn: IdlTransaction, attempt: number) => T | Promise<T>,
  options: { attempts?: number; comment?: string } = {},
): Promise<{ result: T; results: JsonValue[] }> {
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const txn = new IdlTransaction(idl);
    const result = await build(txn, attempt);
    const ops = txn.operations();
    if (options.comment) ops.push({ op: 'comment', comment: options.comment });
    const changed = new Promise<void>((resolve) => {
      const off = idl.onChange(() => {
        off();
        resolve();
      });
      setTimeout(() => {
        off();
        resolve();
      }, 1000).unref();
    });
    try {
      const results = await idl.connection.transact(idl.db, ops);
      return { result, results };
    } catch (e) {
      const isCheck = e instanceof OvsdbTransactionError && e.index < txn.checks && e.error === 'timed out';
      if (!isCheck) throw e;
      await changed;
    }
  }
  throw new IdlTransactionConflictError(attempts);
}
