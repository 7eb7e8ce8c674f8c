/**
 * Validates values against the TypeBox (JSON Schema) declarations of module configs and API
 * parameters with ajv, and turns ajv's findings into one sentence naming the field.
 */
import type { TSchema } from '@sinclair/typebox';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';

// verbose: errors carry their schema, so a union of literals can be reported as "one of ...".
const ajv = new Ajv({
  allErrors: false,
  useDefaults: true,
  coerceTypes: false,
  strict: false,
  verbose: true,
});
const compiled = new WeakMap<TSchema, ValidateFunction>();

export interface Finding {
  /** Dotted path of the field at fault (`ports.0.mac_address`), or '' for the whole value. */
  readonly field: string;
  readonly message: string;
}

/**
 * Checks `value` (filling in schema defaults, in place) and returns the first problem, or
 * undefined when it conforms.
 */
export function validate(schema: TSchema, value: unknown): Finding | undefined {
  let fn = compiled.get(schema);
  if (fn === undefined) {
    fn = ajv.compile(schema);
    compiled.set(schema, fn);
  }
  if (fn(value)) return undefined;
  const errors = fn.errors ?? [];
  // A failed union reports each branch first and the union last; the union says it best.
  return describe(errors.find((e) => e.keyword === 'anyOf') ?? errors[0]);
}

function describe(e: ErrorObject | undefined): Finding {
  if (e === undefined) return { field: '', message: 'is not valid' };
  const path = e.instancePath.split('/').slice(1).map(decodeURIComponent);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { field: [...path, String(params.missingProperty)].join('.'), message: 'is required' };
    case 'additionalProperties':
      return {
        field: [...path, String(params.additionalProperty)].join('.'),
        message: 'is not a known parameter',
      };
    case 'anyOf': {
      const branches = e.schema as readonly { const?: unknown }[];
      if (Array.isArray(branches) && branches.every((b) => b.const !== undefined)) {
        return {
          field: path.join('.'),
          message: `must be one of ${branches.map((b) => JSON.stringify(b.const)).join(', ')}`,
        };
      }
      return { field: path.join('.'), message: 'matches none of the allowed forms' };
    }
    case 'pattern': {
      // A regular expression says little to an operator; the schema's description says more.
      const description = (e.parentSchema as { description?: string } | undefined)?.description;
      return {
        field: path.join('.'),
        message: description ? `must be ${description}` : (e.message ?? 'is not valid'),
      };
    }
    case 'type':
      return { field: path.join('.'), message: `must be of type ${String(params.type)}` };
    default:
      return { field: path.join('.'), message: e.message ?? 'is not valid' };
  }
}
