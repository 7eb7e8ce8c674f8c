/**
 * Module APIs behind the real fastify Web API (in-process `inject`, no socket), over a
 * private embedded store, and the three ways VLCP clients call them: GET with a query
 * string, POST with a form, POST with JSON.
 *
 * The client exists before the server starts (in `beforeAll`), so a test file can take its
 * functions apart at the top and call `get(...)` in its tests.
 */
import type { FastifyInstance } from 'fastify';
import type { ModuleDefinition, Runtime } from '../../../src/modules/runtime';
import { storeModule } from '../../../src/modules/store/store-module';
import { buildWebApi } from '../../../src/webapi';
import { registerCleanup } from '../../harness';
import { startControllerRuntime } from '../../harness/controller-runtime';

export interface WebApiReply {
  readonly status: number;
  readonly body: { readonly result?: unknown; readonly error?: string; readonly parameter?: string };
}

export interface WebApiClient {
  /** Starts `modules` beside the store (which comes first); `cleanupAll` stops them. */
  start(modules: readonly ModuleDefinition[]): Promise<void>;
  runtime(): Runtime;
  app(): FastifyInstance;
  get(path: string, query: Readonly<Record<string, string>>): Promise<WebApiReply>;
  postForm(path: string, form: Readonly<Record<string, string>>): Promise<WebApiReply>;
  postJson(path: string, body: unknown): Promise<WebApiReply>;
}

export function webApiClient(): WebApiClient {
  let started: { readonly runtime: Runtime; readonly app: FastifyInstance } | undefined;
  const current = () => {
    if (started === undefined) throw new Error('web api test client: call start() first (in beforeAll)');
    return started;
  };
  const send = async (method: 'GET' | 'POST', url: string, payload?: string, type?: string) => {
    const r = await current().app.inject({
      method,
      url,
      ...(payload !== undefined ? { payload } : {}),
      ...(type !== undefined ? { headers: { 'content-type': type } } : {}),
    });
    return { status: r.statusCode, body: r.json() };
  };
  return {
    async start(modules) {
      const { runtime } = await startControllerRuntime({
        what: 'web api test runtime',
        modules: [storeModule, ...modules],
        services: {},
      });
      const app = await buildWebApi({
        modules: () => runtime.describe(),
        call: (m, a, p) => runtime.call(m, a, p),
      });
      registerCleanup({ what: 'web api test server', run: () => app.close(), runSync: () => undefined });
      started = { runtime, app };
    },
    runtime: () => current().runtime,
    app: () => current().app,
    get: (path, query) => send('GET', `${path}?${new URLSearchParams(query)}`),
    postForm: (path, form) =>
      send('POST', path, new URLSearchParams(form).toString(), 'application/x-www-form-urlencoded'),
    postJson: (path, body) => send('POST', path, JSON.stringify(body), 'application/json'),
  };
}

/** The first object of a reply's `result` list. */
export const firstResult = (r: WebApiReply): Record<string, unknown> =>
  (r.body.result as Record<string, unknown>[])[0]!;
