/**
 * The OpenAPI 3 document, generated from the module runtime's catalogue: every API as
 * `GET /<module>/<api>` (query parameters) and `POST /<module>/<api>` (JSON body, or form),
 * the same schema that validates the call.
 */
import type { TSchema } from '@sinclair/typebox';
import type { ModuleDescription } from '../modules/runtime';

type Json = Record<string, unknown>;

const errorSchema: Json = {
  type: 'object',
  properties: {
    error: { type: 'string' },
    module: { type: 'string' },
    api: { type: 'string' },
    parameter: { type: 'string' },
  },
  required: ['error'],
};

function stripTypebox(schema: unknown): unknown {
  // TypeBox marks schemas with symbol keys and `[Kind]`; JSON.stringify drops symbols.
  return JSON.parse(JSON.stringify(schema));
}

export function openApiDocument(modules: readonly ModuleDescription[], version: string): Json {
  const paths: Json = {};
  for (const m of modules) {
    for (const a of m.apis) {
      const schema = stripTypebox(a.params) as { properties?: Record<string, TSchema>; required?: string[] };
      const query = Object.entries(schema.properties ?? {}).map(([name, s]) => ({
        name,
        in: 'query',
        required: (schema.required ?? []).includes(name),
        description: 'Strings in backticks are data literals (`[1, 2]`, `True`).',
        schema: s,
      }));
      const responses = {
        '200': {
          description: 'The result',
          content: { 'application/json': { schema: { type: 'object', properties: { result: {} } } } },
        },
        '400': { description: 'Bad parameters', content: { 'application/json': { schema: errorSchema } } },
        '404': {
          description: 'Unknown module or API',
          content: { 'application/json': { schema: errorSchema } },
        },
        '500': { description: 'Internal error', content: { 'application/json': { schema: errorSchema } } },
      };
      paths[`/${m.name}/${a.name}`] = {
        get: {
          tags: [m.name],
          summary: a.description,
          operationId: `${m.name}.${a.name}.get`,
          parameters: query,
          responses,
        },
        post: {
          tags: [m.name],
          summary: a.description,
          operationId: `${m.name}.${a.name}`,
          requestBody: {
            content: {
              'application/json': { schema },
              'application/x-www-form-urlencoded': { schema },
            },
          },
          responses,
        },
      };
    }
  }
  return {
    openapi: '3.0.3',
    info: { title: 'vlcp-ts Web API', version },
    paths,
    tags: modules.map((m) => ({ name: m.name, description: m.description })),
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  };
}
