/**
 * Configuration in VLCP's style: one `key=value` per line, `#` starts a comment line, keys
 * are dotted (`module.openflow.listen`, `server.loglevel`). Values are JSON; a value that is
 * not JSON and contains no quote or bracket is taken as a bare string (`module.store.url=embedded:./data`).
 */
import { ConfigError } from './errors';

export interface ConfigEntry {
  readonly key: string;
  readonly value: unknown;
  /** `FILE:LINE` or `--set` */
  readonly source: string;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)+$/;

export function parseConfigValue(text: string, key: string, source: string): unknown {
  const t = text.trim();
  if (t === '') throw new ConfigError(key, 'has no value', source);
  try {
    return JSON.parse(t);
  } catch {
    if (/["'[\]{}]/.test(t)) throw new ConfigError(key, `value ${t} is not valid JSON`, source);
    return t;
  }
}

export function parseConfigLine(line: string, source: string): ConfigEntry | undefined {
  const t = line.trim();
  if (t === '' || t.startsWith('#')) return undefined;
  const eq = t.indexOf('=');
  if (eq < 0) throw new ConfigError(t.slice(0, 40), 'expected key=value', source);
  const key = t.slice(0, eq).trim();
  if (!KEY.test(key)) throw new ConfigError(key, 'is not a dotted key like module.name.key', source);
  return { key, value: parseConfigValue(t.slice(eq + 1), key, source), source };
}

export function parseConfigText(text: string, file: string): ConfigEntry[] {
  const out: ConfigEntry[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const e = parseConfigLine(line, `${file}:${i + 1}`);
    if (e !== undefined) out.push(e);
  });
  return out;
}

/** Writes entries back as config text (values as JSON). */
export function formatConfig(entries: readonly { key: string; value: unknown }[]): string {
  return entries.map((e) => `${e.key}=${JSON.stringify(e.value)}\n`).join('');
}
