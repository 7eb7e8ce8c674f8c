/**
 * Keeps secrets out of logs and API answers: config values whose schema is `writeOnly`
 * (tokens, keys) show as `***`, and passwords inside URLs are masked.
 */
import type { TSchema } from '@sinclair/typebox';

/** The URL without its password: `redis://:***@host:6379/0`. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}

export function redactConfig(
  config: Readonly<Record<string, unknown>>,
  schema: TSchema,
): Record<string, unknown> {
  const props = (schema as { properties?: Record<string, { writeOnly?: boolean }> }).properties ?? {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (props[k]?.writeOnly && v !== '' && v !== undefined) out[k] = '***';
    else out[k] = typeof v === 'string' ? redactUrl(v) : v;
  }
  return out;
}
