/**
 * Turns config entries (file lines, `--set`, flags) into the server settings and each
 * module's config values. Later entries override earlier ones.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { ConfigEntry } from './config-file';
import { ConfigError } from './errors';
import { validate } from './schema-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Keys `server.<key>`: settings of the process rather than of one module. */
export const ServerSettingsSchema = Type.Object(
  {
    loglevel: Type.Union(
      LOG_LEVELS.map((l) => Type.Literal(l)),
      { default: 'info', description: 'pino log level' },
    ),
  },
  { additionalProperties: false },
);
export type ServerSettings = Static<typeof ServerSettingsSchema>;

export interface ResolvedConfig {
  readonly server: ServerSettings;
  readonly modules: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Where each key was last set (`FILE:LINE`, `--set`, a flag), for error messages. */
  readonly sources: ReadonlyMap<string, string>;
}

export function resolveConfig(entries: readonly ConfigEntry[]): ResolvedConfig {
  const server: Record<string, unknown> = {};
  const serverSource = new Map<string, string>();
  const modules: Record<string, Record<string, unknown>> = {};
  const sources = new Map<string, string>();
  for (const e of entries) {
    sources.set(e.key, e.source);
    const parts = e.key.split('.');
    if (parts[0] === 'server' && parts.length === 2) {
      server[parts[1]!] = e.value;
      serverSource.set(parts[1]!, e.source);
    } else if (parts[0] === 'module' && parts.length === 3) {
      modules[parts[1]!] ??= {};
      modules[parts[1]!]![parts[2]!] = e.value;
    } else {
      throw new ConfigError(e.key, 'unknown key: expected server.<key> or module.<module>.<key>', e.source);
    }
  }
  const finding = validate(ServerSettingsSchema, server);
  if (finding !== undefined) {
    const key = finding.field;
    const detail = finding.message === 'is not a known parameter' ? 'is not a known key' : finding.message;
    throw new ConfigError(`server.${key}`, detail, serverSource.get(key));
  }
  return { server: server as ServerSettings, modules, sources };
}
