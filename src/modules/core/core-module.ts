/**
 * The `core` module: what the controller says about itself — its modules, their config and
 * APIs, and whether it is healthy. The Web API serves these; other modules depend on nothing
 * here.
 */
import { Type } from '@sinclair/typebox';
import { defineApi, defineModule, redactConfig } from '../runtime';

const startedAt = Date.now();

export const coreModule = defineModule({
  name: 'core',
  description: 'Introspection: loaded modules, their configuration and APIs; health.',
  depends: [],
  config: Type.Object({}, { additionalProperties: false }),
  create(ctx) {
    return {
      apis: [
        defineApi({
          name: 'listmodules',
          description: 'Every loaded module with its state, configuration and APIs.',
          params: Type.Object({}, { additionalProperties: false }),
          handler: () =>
            ctx.modules().map((m) => ({
              name: m.name,
              description: m.description,
              depends: m.depends,
              state: m.state,
              config: redactConfig(m.config, m.configSchema),
              apis: m.apis.map((a) => a.name),
            })),
        }),
        defineApi({
          name: 'health',
          description: 'Whether every module is started, and the uptime in seconds.',
          params: Type.Object({}, { additionalProperties: false }),
          handler: () => {
            const modules = ctx.modules();
            return {
              status: modules.every((m) => m.state === 'started' || m.name === ctx.name) ? 'ok' : 'starting',
              uptime: Math.round((Date.now() - startedAt) / 1000),
            };
          },
        }),
      ],
    };
  },
});
