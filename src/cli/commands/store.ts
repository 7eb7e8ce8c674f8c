/**
 * `vlcp-ts store export` / `vlcp-ts store import`: the whole store as one JSON file, for
 * backups and for moving a deployment between backends (embedded -> Redis or ZooKeeper).
 * The store is named as for `start` (--store, else module.store.url of --config, else
 * embedded:./data). An export is one consistent moment of the store; an import goes only
 * into an empty store. An embedded store is locked by a running controller: stop it, or
 * export through the controller's Web API (`--api`, the `store/export` call).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError, redactUrl, resolveConfig } from '../../modules/runtime';
import {
  copyStore,
  DEFAULT_OBJECTDB_URL,
  DirectoryLockedError,
  type ExportFile,
  ExportFileError,
  exportFile,
  exportFileText,
  importStore,
  type ObjectDb,
  openObjectDb,
  parseExportFile,
} from '../../objectdb';
import { UsageError } from '../usage-error';
import { gatherConfig } from './start';

interface StoreFlags {
  readonly store?: string;
  readonly config?: string;
}

/** The store URL `start` would use with the same flags. */
export function storeUrlOf(flags: StoreFlags): string {
  try {
    const config = resolveConfig(gatherConfig({ ...flags, ovsdb: [], set: [] }));
    const url = config.modules.store?.url;
    if (url !== undefined && typeof url !== 'string')
      throw new ConfigError(
        'module.store.url',
        'expected a URL string',
        config.sources.get('module.store.url'),
      );
    return url ?? DEFAULT_OBJECTDB_URL;
  } catch (e) {
    if (e instanceof ConfigError)
      // The message names the source (file line, flag) already.
      throw new UsageError(`configuration error: ${e.message}`);
    throw e;
  }
}

async function withStore<T>(url: string, fn: (db: ObjectDb) => Promise<T>): Promise<T> {
  let db: ObjectDb;
  try {
    db = await openObjectDb(url);
  } catch (e) {
    if (e instanceof DirectoryLockedError)
      throw new Error(
        `${e.message}: stop the controller that uses this store first, or export through its Web API (--api URL)`,
      );
    throw e;
  }
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

interface ExportFlags extends StoreFlags {
  readonly out?: string;
  readonly api?: string;
  readonly token?: string;
}

/** The export a running controller serves at `store/export`, checked as an import would check it. */
async function exportFromApi(api: string, token: string | undefined): Promise<ExportFile> {
  const url = `${api.replace(/\/+$/, '')}/store/export`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: '{}',
    });
  } catch (e) {
    throw new Error(`cannot reach ${url}: ${(e as Error).cause ?? (e as Error).message}`);
  }
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${url} answered HTTP ${res.status}: ${text.slice(0, 300)}`);
  const file = (JSON.parse(text) as { result?: ExportFile }).result;
  try {
    parseExportFile(JSON.stringify(file ?? null));
  } catch (e) {
    throw new Error(`${url} did not answer with a store export: ${(e as Error).message}`);
  }
  return file!;
}

export async function runExport(flags: ExportFlags): Promise<void> {
  let from: string;
  let file: ExportFile;
  if (flags.api !== undefined) {
    if (flags.store !== undefined || flags.config !== undefined)
      throw new UsageError('--api reads from a running controller: leave out --store and --config');
    from = flags.api;
    file = await exportFromApi(flags.api, flags.token ?? process.env.VLCP_API_TOKEN);
  } else {
    const url = storeUrlOf(flags);
    from = redactUrl(url);
    file = await withStore(url, async (db) => exportFile(await copyStore(db), db.backend.kind));
  }
  const text = exportFileText(file);
  const keys = Object.keys(file.values).length;
  const seq = file.seq;
  if (flags.out === undefined || flags.out === '-') process.stdout.write(text);
  else {
    // Whole or not at all: a backup cut short must not replace a good one.
    const tmp = `${flags.out}.tmp-${process.pid}`;
    writeFileSync(tmp, text);
    renameSync(tmp, flags.out);
  }
  process.stderr.write(
    `exported ${keys} keys (store at commit ${seq}) from ${from}${flags.out && flags.out !== '-' ? ` to ${flags.out}` : ''}\n`,
  );
}

export async function runImport(file: string, flags: StoreFlags): Promise<void> {
  const url = storeUrlOf(flags);
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  let copy: ReturnType<typeof parseExportFile>;
  try {
    copy = parseExportFile(text);
  } catch (e) {
    if (e instanceof ExportFileError) throw new UsageError(`${file}: ${e.message}; nothing was written`);
    throw e;
  }
  const r = await withStore(url, (db) => importStore(db, copy.values));
  process.stderr.write(
    `imported ${r.keys} keys in ${r.transactions} transaction${r.transactions === 1 ? '' : 's'} into ${redactUrl(url)}\n`,
  );
}

export function registerStore(program: Command): void {
  const store = program
    .command('store')
    .description('the configuration store as one JSON file: backups, and moves between backends');
  const common = (c: Command) =>
    c
      .option(
        '--store <url>',
        'the store: embedded:<dir> (default embedded:./data), redis://..., zookeeper://...',
      )
      .option('-c, --config <file>', "take the store URL from this config file's module.store.url");
  common(
    store
      .command('export')
      .description('write every key of the store, at one moment, as JSON (to stdout unless --out)')
      .option('-o, --out <file>', 'write here instead of stdout (replaced whole, never half-written)')
      .option(
        '--api <url>',
        "from a running controller's Web API (http://127.0.0.1:8081): a live backup, also of an embedded store",
      )
      .option('--token <token>', 'the Web API bearer token (default $VLCP_API_TOKEN)'),
  ).action((opts: ExportFlags) => runExport(opts));
  common(
    store
      .command('import')
      .description('write an export file (- for stdin) into an empty store')
      .argument('<file>', 'the file `store export` wrote'),
  ).action((file: string, opts: StoreFlags) => runImport(file, opts));
  for (const c of store.commands) c.exitOverride();
  store.exitOverride();
}
