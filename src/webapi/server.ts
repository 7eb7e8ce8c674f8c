/**
 * The Web API server (fastify): every module API callable VLCP's way at /<module>/<api>
 * (GET query, POST form, POST JSON), the OpenAPI document and a docs page, /healthz and
 * /metrics. Replies are `{"result": ...}`; errors `{"error": "...", module, api, parameter}`
 * with 400 (bad parameters), 404 (unknown module or API), 401 (auth), 413 (body too large),
 * 500 (internal).
 */
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ApiCallError, ApiInputError } from '../modules/runtime';
import type { ApiHost } from './api-host';
import { callParams, ParameterFormatError } from './call-params';
import { toJson } from './json';
import { createMetrics } from './metrics';
import { openApiDocument } from './openapi';

export interface WebApiOptions {
  /** Required bearer token; undefined means no authentication. */
  readonly token?: string;
  /** PEM certificate and key: serve HTTPS. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  /** Largest request body in bytes. Default 1 MiB. */
  readonly bodyLimit?: number;
  readonly logger?: Logger;
  readonly queueDepth?: () => number;
  /** The registry to serve at /metrics (the runtime's, so modules' metrics show); a fresh one by default. */
  readonly metrics?: Registry;
  readonly version?: string;
}

function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(toJson(body));
}

export async function buildWebApi(host: ApiHost, options: WebApiOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: options.bodyLimit ?? 1 << 20,
    ...(options.tls ? { https: options.tls } : {}),
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
  }) as unknown as FastifyInstance;
  const metrics = createMetrics(options.queueDepth, options.metrics);
  await app.register(formbody);

  app.setErrorHandler((err: FastifyError, _req, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) app.log.error({ err }, 'internal error');
    const message =
      err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? `request body is larger than the limit of ${options.bodyLimit ?? 1 << 20} bytes`
        : err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError
          ? `request body is not valid JSON: ${err.message}`
          : status >= 500
            ? 'internal error'
            : err.message;
    return sendJson(reply, status, { error: message });
  });
  app.setNotFoundHandler((req, reply) =>
    sendJson(reply, 404, { error: `no such path ${req.url.split('?')[0]}` }),
  );

  if (options.token !== undefined) {
    const expected = `Bearer ${options.token}`;
    app.addHook('onRequest', async (req, reply) => {
      if (req.url === '/healthz') return;
      if (req.headers.authorization !== expected) {
        return sendJson(reply.header('www-authenticate', 'Bearer'), 401, {
          error: 'missing or wrong bearer token',
        });
      }
    });
  }

  const document = openApiDocument(host.modules(), options.version ?? '0');
  await app.register(swagger, { mode: 'static', specification: { document: document as never } });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', (_req, reply) => sendJson(reply, 200, document));

  app.get('/healthz', async (_req, reply) => {
    const modules = host.modules();
    const down = modules.filter((m) => m.state !== 'started').map((m) => m.name);
    return sendJson(reply, down.length === 0 ? 200 : 503, {
      status: down.length === 0 ? 'ok' : 'starting',
      down,
    });
  });
  app.get('/metrics', async (_req, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

  const handle = async (
    req: FastifyRequest<{ Params: { module: string; api: string } }>,
    reply: FastifyReply,
  ) => {
    const { module, api } = req.params;
    const desc = host
      .modules()
      .find((m) => m.name === module)
      ?.apis.find((a) => a.name === api);
    metrics.apiCalls.inc({ module, api });
    if (desc === undefined) {
      metrics.apiErrors.inc({ module, api, kind: 'client' });
      const what = host.modules().some((m) => m.name === module)
        ? `module ${module} has no API ${api}`
        : `no module named ${module}`;
      return sendJson(reply, 404, { error: what, module, api });
    }
    const isJson = req.method === 'POST' && (req.headers['content-type'] ?? '').includes('application/json');
    const raw = (req.method === 'GET' ? req.query : (req.body ?? {})) as unknown;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      metrics.apiErrors.inc({ module, api, kind: 'client' });
      return sendJson(reply, 400, { error: 'parameters must be a JSON object', module, api });
    }
    try {
      const params = callParams(raw as Record<string, unknown>, desc.params, !isJson);
      const result = await host.call(module, api, params);
      return sendJson(reply, 200, { result: result ?? null });
    } catch (e) {
      if (e instanceof ApiCallError || e instanceof ParameterFormatError) {
        metrics.apiErrors.inc({ module, api, kind: 'client' });
        const status = e instanceof ApiCallError && e.reason !== 'bad-parameter' ? 404 : 400;
        return sendJson(reply, status, { error: e.message, module, api, parameter: e.parameter });
      }
      if (e instanceof ApiInputError) {
        metrics.apiErrors.inc({ module, api, kind: 'client' });
        return sendJson(reply, e.status, { error: e.message, module, api, parameter: e.parameter });
      }
      metrics.apiErrors.inc({ module, api, kind: 'internal' });
      app.log.error({ err: e, module, api }, 'API call failed');
      return sendJson(reply, 500, { error: `internal error in ${module}/${api}`, module, api });
    }
  };
  app.get('/:module/:api', handle);
  app.post('/:module/:api', handle);
  return app;
}
