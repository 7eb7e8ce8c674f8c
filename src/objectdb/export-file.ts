/**
 * The file a store copy is saved as: JSON with a format name and version, so that a file is
 * recognised (and a future format refused) before anything is written.
 *
 *   { "format": "vlcp-ts-objectdb", "version": 1, "seq": 42, "backend": "embedded",
 *     "exported_at": "2026-11-23T10:00:00.000Z", "values": { "<key>": <value>, ... } }
 */
import { ExportFileError, InvalidKeyError } from './errors';
import { DEFAULT_MAX_VALUE_BYTES, encodeValue, type JsonValue } from './json-value';
import { type Key, toKey } from './key';
import type { StoreCopy } from './store-copy';

export const EXPORT_FORMAT = 'vlcp-ts-objectdb';
export const EXPORT_VERSION = 1;

export interface ExportFile {
  readonly format: typeof EXPORT_FORMAT;
  readonly version: typeof EXPORT_VERSION;
  readonly seq: number;
  readonly backend: string;
  readonly exported_at: string;
  readonly values: { readonly [key: string]: JsonValue };
}

export function exportFile(copy: StoreCopy, backend: string, now = new Date()): ExportFile {
  const values: Record<string, JsonValue> = {};
  for (const [k, v] of copy.values) values[k] = v;
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    seq: copy.seq,
    backend,
    exported_at: now.toISOString(),
    values,
  };
}

/** The file as written to disk (one key a line, readable in a diff). */
export function exportFileText(file: ExportFile): string {
  return `${JSON.stringify(file, null, 1)}\n`;
}

/** The copy in an export file, every key and value checked; ExportFileError names what is wrong. */
export function parseExportFile(text: string): StoreCopy {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ExportFileError('', `not JSON: ${(e as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new ExportFileError('', 'expected a JSON object');
  const d = doc as Record<string, unknown>;
  if (d.format !== EXPORT_FORMAT)
    throw new ExportFileError('format', `expected "${EXPORT_FORMAT}", got ${JSON.stringify(d.format)}`);
  if (d.version !== EXPORT_VERSION)
    throw new ExportFileError(
      'version',
      `${JSON.stringify(d.version)} is not supported (this build reads version ${EXPORT_VERSION})`,
    );
  if (typeof d.seq !== 'number' || !Number.isSafeInteger(d.seq) || d.seq < 0)
    throw new ExportFileError('seq', `expected a sequence number, got ${JSON.stringify(d.seq)}`);
  const raw = d.values;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ExportFileError('values', 'expected an object of key -> value');
  const values = new Map<Key, JsonValue>();
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    let key: Key;
    try {
      key = toKey(k);
    } catch (e) {
      throw new ExportFileError(`values.${k}`, e instanceof InvalidKeyError ? e.reason : String(e));
    }
    if (v === null)
      throw new ExportFileError(`values.${k}`, 'null is not a value (a deleted key is left out)');
    try {
      encodeValue(key, v, DEFAULT_MAX_VALUE_BYTES);
    } catch (e) {
      throw new ExportFileError(`values.${k}`, (e as Error).message);
    }
    values.set(key, v as JsonValue);
  }
  return { seq: d.seq, values };
}
