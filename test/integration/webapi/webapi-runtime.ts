/**
 * Module APIs behind the real fastify Web API (in-process `inject`, no socket), over a
 * private embedded store, and the three ways VLCP clients call them: GET with a query
 * string, POST with a form, POST with JSON.
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

export interface WebApiRuntime {
  readonly runtime: Runtime;
  readonly app: FastifyInstance;
  get(path: string, query: Readonly<Record<string, string>>): Promise<WebApiReply>;
  postForm(path: string, form: Readonly<Record<string, string>>): Promise<WebApiReply>;
  postJson(path: string, body: unknown): Promise<WebApiReply>;
}

/** `modules` beside the store (which comes first). Stopped by `cleanupAll`. */
export async function startWebApiRuntime(modules: readonly ModuleDefinition[]): Promise<WebApiRuntime> {
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
  const send = async (method: 'GET' | 'POST', url: string, payload?: string, type?: string) => {
    const r = await app.inject({
      method,
      url,
      ...(payload !== undefined ? { payload } : {}),
      ...(type !== undefined ? { headers: { 'content-type': type } } : {}),
    });
    return { status: r.statusCode, body: r.json() };
  };
  return {
    runtime,
    app,
    get: (path, query) => send('GET', `${path}?${new URLSearchParams(query)}`),
    postForm: (path, form) =>
      send('POST', path, new URLSearchParams(form).toString(), 'application/x-www-form-urlencoded'),
    postJson: (path, body) => send('POST', path, JSON.stringify(body), 'application/json'),
  };
}

/** The first object of a reply's `result` list. */
export const firstResult = (r: WebApiReply): Record<string, unknown> =>
  (r.body.result as Record<string, unknown>[])[0]!;
