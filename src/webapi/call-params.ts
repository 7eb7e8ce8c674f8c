/**
 * Turns the three VLCP calling conventions (GET query, POST form, POST JSON) into the
 * parameters of one API call. Strings wrapped in backticks are data literals in every
 * convention. Query and form values are strings; where the API's schema wants a number or a
 * boolean at the top level, a plain numeric or true/false string is taken as that.
 */
import type { TSchema } from '@sinclair/typebox';
import { LiteralError, parseLiteral } from './literal';

export class ParameterFormatError extends Error {
  override readonly name = 'ParameterFormatError';
  constructor(
    readonly parameter: string,
    detail: string,
  ) {
    super(`parameter ${parameter}: ${detail}`);
  }
}

function fromBackticks(name: string, value: unknown): unknown {
  if (typeof value !== 'string' || value.length < 2 || !value.startsWith('`') || !value.endsWith('`'))
    return value;
  try {
    return parseLiteral(value.slice(1, -1));
  } catch (e) {
    if (e instanceof LiteralError) throw new ParameterFormatError(name, `bad literal: ${e.message}`);
    throw e;
  }
}

function schemaTypes(schema: TSchema | undefined): readonly string[] {
  if (schema === undefined) return [];
  const t = (schema as { type?: string | string[] }).type;
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t;
  const anyOf = (schema as { anyOf?: TSchema[] }).anyOf;
  return anyOf ? anyOf.flatMap(schemaTypes) : [];
}

function coerceText(value: string, schema: TSchema | undefined): unknown {
  const types = schemaTypes(schema);
  if (types.includes('string')) return value;
  if (
    (types.includes('integer') || types.includes('number')) &&
    /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value)
  ) {
    return Number(value);
  }
  if (types.includes('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  if (types.includes('null') && (value === 'null' || value === 'None')) return null;
  return value;
}

/**
 * `textual`: the values came from a query string or a form (strings, or arrays of strings
 * for a repeated key — the last one wins, as in VLCP).
 */
export function callParams(
  input: Readonly<Record<string, unknown>>,
  paramsSchema: TSchema,
  textual: boolean,
): Record<string, unknown> {
  const props = (paramsSchema as { properties?: Record<string, TSchema> }).properties ?? {};
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(input)) {
    let v = Array.isArray(raw) && textual ? raw[raw.length - 1] : raw;
    const literal = fromBackticks(name, v);
    if (literal !== v) v = literal;
    else if (textual && typeof v === 'string') v = coerceText(v, props[name]);
    Object.defineProperty(out, name, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
