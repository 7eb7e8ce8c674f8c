/**
 * The `webapi` module: serves the Web API for the other modules. It lives in the webapi
 * layer (modules know nothing of HTTP) and is added to the module list by the CLI.
 */
import { readFileSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ConfigError, defineModule } from '../modules/runtime';
import { parseHostPort } from '../protocol';
import { buildWebApi } from './server';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

export class WebApiConfigError extends Error {
  override readonly name = 'WebApiConfigError';
}

export const webApiModule = defineModule({
  name: 'webapi',
  description:
    'HTTP API: VLCP-style /<module>/<api> calls, OpenAPI at /openapi.json, docs at /docs, /healthz, /metrics.',
  depends: [],
  config: Type.Object(
    {
      listen: Type.String({ default: '127.0.0.1:8081', description: 'HOST:PORT to listen on' }),
      token: Type.String({
        default: '',
        writeOnly: true,
        description: 'bearer token required on every call (empty: none)',
      }),
      tlscert: Type.String({ default: '', description: 'PEM certificate file: serve HTTPS' }),
      tlskey: Type.String({ default: '', description: 'PEM private key file for tlscert' }),
      allowinsecureremote: Type.Boolean({
        default: false,
        description: 'allow listening on a non-loopback address without a token',
      }),
      bodylimit: Type.Integer({
        default: 1 << 20,
        minimum: 1024,
        description: 'largest request body in bytes',
      }),
    },
    { additionalProperties: false },
  ),
  create(ctx) {
    let app: FastifyInstance | undefined;
    return {
      async start() {
        let host: string;
        let port: number;
        try {
          ({ host, port } = parseHostPort(ctx.config.listen));
        } catch (e) {
          throw new ConfigError('module.webapi.listen', (e as Error).message);
        }
        if (!LOOPBACK.test(host) && ctx.config.token === '' && !ctx.config.allowinsecureremote) {
          throw new WebApiConfigError(
            `refusing to listen on ${ctx.config.listen} without a token: set module.webapi.token, or module.webapi.allowinsecureremote=true`,
          );
        }
        if ((ctx.config.tlscert === '') !== (ctx.config.tlskey === '')) {
          throw new WebApiConfigError('module.webapi.tlscert and module.webapi.tlskey go together');
        }
        app = await buildWebApi(
          { modules: () => ctx.modules(), call: (m, a, p) => ctx.call(m, a, p) },
          {
            ...(ctx.config.token !== '' ? { token: ctx.config.token } : {}),
            ...(ctx.config.tlscert !== ''
              ? { tls: { cert: readFileSync(ctx.config.tlscert), key: readFileSync(ctx.config.tlskey) } }
              : {}),
            bodyLimit: ctx.config.bodylimit,
            queueDepth: () => ctx.scheduler.queueDepth(),
            metrics: ctx.metrics,
          },
        );
        await app.listen({ host, port });
        const bound = app.server.address();
        const actual = typeof bound === 'object' && bound !== null ? bound.port : port;
        const scheme = ctx.config.tlscert ? 'https' : 'http';
        const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${actual}`;
        ctx.logger.info({ url }, 'Web API listening');
      },
      async stop() {
        await app?.close();
      },
    };
  },
});
