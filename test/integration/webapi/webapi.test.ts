import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { coreModule } from '../../../src/modules/core/core-module';
import { ApiInputError, defineApi, defineModule, Runtime } from '../../../src/modules/runtime';
import { buildWebApi, webApiModule } from '../../../src/webapi';
import { selfSignedCert } from '../../harness/tls';

/** A module that stores what it is told, so tests can see that bad calls change nothing. */
const stored = new Map<string, Record<string, unknown>>();
const testModule = defineModule({
  name: 'viperflow',
  description: 'test double of a config module',
  depends: [],
  config: Type.Object({}, { additionalProperties: false }),
  create: () => ({
    apis: [
      defineApi({
        name: 'createlogicalnetwork',
        description: 'create',
        params: Type.Object(
          {
            physicalnetwork: Type.String(),
            id: Type.Optional(Type.Union([Type.String(), Type.Null()])),
            vni: Type.Optional(Type.Integer({ minimum: 1, maximum: 16777215 })),
          },
          { additionalProperties: true },
        ),
        handler: (p) => {
          const id = p.id ?? `ln-${stored.size + 1}`;
          if (stored.has(id)) throw new ApiInputError(`logical network ${id} already exists`, 409, 'id');
          const obj = { ...p, id };
          stored.set(id, obj);
          return obj;
        },
      }),
      defineApi({
        name: 'broken',
        description: 'always fails inside',
        params: Type.Object({}, { additionalProperties: false }),
        handler: () => {
          throw new Error('secret internal detail');
        },
      }),
      defineApi({
        name: 'big',
        description: 'returns a 64-bit value',
        params: Type.Object({}, { additionalProperties: false }),
        handler: () => ({ dpid: 0xfedcba9876543210n }),
      }),
    ],
  }),
});

let runtime: Runtime;
let app: FastifyInstance;
beforeAll(async () => {
  runtime = new Runtime({ modules: [coreModule, testModule] });
  await runtime.start();
  app = await buildWebApi(
    { modules: () => runtime.describe(), call: (m, a, p) => runtime.call(m, a, p) },
    { bodyLimit: 4096 },
  );
});
afterAll(async () => {
  await app.close();
  await runtime.stop();
});
beforeEach(() => stored.clear());

async function call(method: 'GET' | 'POST', url: string, body?: string, contentType?: string) {
  const r = await app.inject({
    method,
    url,
    ...(body !== undefined ? { payload: body } : {}),
    headers: contentType ? { 'content-type': contentType } : {},
  });
  return { status: r.statusCode, body: r.json() as Record<string, unknown> };
}

describe('VLCP calling conventions', () => {
  it('GET with a query string, numbers taken as the schema wants', async () => {
    const r = await call('GET', '/viperflow/createlogicalnetwork?physicalnetwork=pn1&id=ln1&vni=1000');
    expect(r).toEqual({ status: 200, body: { result: { physicalnetwork: 'pn1', id: 'ln1', vni: 1000 } } });
  });

  it('POST with a form', async () => {
    const r = await call(
      'POST',
      '/viperflow/createlogicalnetwork',
      'physicalnetwork=pn1&id=ln2&vni=7',
      'application/x-www-form-urlencoded',
    );
    expect(r.body).toEqual({ result: { physicalnetwork: 'pn1', id: 'ln2', vni: 7 } });
  });

  it('POST with JSON, extra attributes kept (kwargs)', async () => {
    const r = await call(
      'POST',
      '/viperflow/createlogicalnetwork',
      JSON.stringify({ physicalnetwork: 'pn1', vni: 9, mtu: 1450 }),
      'application/json',
    );
    expect(r.body).toEqual({ result: { physicalnetwork: 'pn1', vni: 9, mtu: 1450, id: 'ln-1' } });
  });

  it('takes backtick values as data literals, never as code', async () => {
    const q = new URLSearchParams({
      physicalnetwork: 'pn1',
      id: '`None`',
      vni: '`42`',
      ranges: '`[(1, 100), (200, 300)]`',
      flags: '`{"a": True, \'b\': None}`',
      name: 'plain `text',
    });
    const r = await call('GET', `/viperflow/createlogicalnetwork?${q}`);
    expect(r.body).toEqual({
      result: {
        physicalnetwork: 'pn1',
        id: 'ln-1',
        vni: 42,
        ranges: [
          [1, 100],
          [200, 300],
        ],
        flags: { a: true, b: null },
        name: 'plain `text',
      },
    });
    const evil = await call(
      'GET',
      `/viperflow/createlogicalnetwork?physicalnetwork=pn1&x=${encodeURIComponent('`__import__("os")`')}`,
    );
    expect(evil.status).toBe(400);
    expect(evil.body.error).toMatch(/parameter x: bad literal: unknown name __import__/);
  });

  it('serialises 64-bit values as strings', async () => {
    expect((await call('GET', '/viperflow/big')).body).toEqual({ result: { dpid: '18364758544493064720' } });
  });
});

describe('bad input gets a clear 4xx and changes nothing', () => {
  const cases: [string, 'GET' | 'POST', string, string | undefined, string | undefined, number, RegExp][] = [
    ['unknown module', 'GET', '/nosuch/api', undefined, undefined, 404, /no module named nosuch/],
    [
      'unknown API',
      'GET',
      '/viperflow/nosuch',
      undefined,
      undefined,
      404,
      /module viperflow has no API nosuch/,
    ],
    [
      'missing parameter',
      'GET',
      '/viperflow/createlogicalnetwork?vni=1',
      undefined,
      undefined,
      400,
      /parameter physicalnetwork is required/,
    ],
    [
      'mistyped parameter',
      'GET',
      '/viperflow/createlogicalnetwork?physicalnetwork=p&vni=abc',
      undefined,
      undefined,
      400,
      /parameter vni must be of type integer/,
    ],
    [
      'out of range',
      'POST',
      '/viperflow/createlogicalnetwork',
      '{"physicalnetwork":"p","vni":0}',
      'application/json',
      400,
      /parameter vni must be >= 1/,
    ],
    [
      'malformed JSON',
      'POST',
      '/viperflow/createlogicalnetwork',
      '{"physicalnetwork":',
      'application/json',
      400,
      /not valid JSON/,
    ],
    [
      'JSON that is not an object',
      'POST',
      '/viperflow/createlogicalnetwork',
      '[1,2]',
      'application/json',
      400,
      /must be a JSON object/,
    ],
    [
      'oversized body',
      'POST',
      '/viperflow/createlogicalnetwork',
      JSON.stringify({ physicalnetwork: 'x'.repeat(5000) }),
      'application/json',
      413,
      /larger than the limit of 4096 bytes/,
    ],
    [
      'extra parameter on a strict API',
      'GET',
      '/viperflow/big?x=1',
      undefined,
      undefined,
      400,
      /parameter x is not a known parameter/,
    ],
  ];
  it.each(cases)('%s', async (_name, method, url, body, type, status, pattern) => {
    const r = await call(method, url, body, type);
    expect(r.status).toBe(status);
    expect(String(r.body.error)).toMatch(pattern);
    expect(stored.size).toBe(0);
  });

  it('a conflict the module reports is a 409 naming the parameter', async () => {
    await call('GET', '/viperflow/createlogicalnetwork?physicalnetwork=p&id=a');
    const r = await call('GET', '/viperflow/createlogicalnetwork?physicalnetwork=p&id=a&vni=5');
    expect(r).toMatchObject({
      status: 409,
      body: { error: 'logical network a already exists', parameter: 'id' },
    });
    expect(stored.get('a')).toEqual({ physicalnetwork: 'p', id: 'a' });
  });

  it('an internal failure is a 500 that does not leak the detail', async () => {
    const r = await call('GET', '/viperflow/broken');
    expect(r.status).toBe(500);
    expect(JSON.stringify(r.body)).not.toContain('secret');
  });
});

describe('built-in endpoints', () => {
  it('serves the OpenAPI document with every API, and a docs page', async () => {
    const doc = (await call('GET', '/openapi.json')).body as {
      paths: Record<string, { post: { requestBody: unknown } }>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/core/listmodules', '/core/health', '/viperflow/createlogicalnetwork']),
    );
    expect(JSON.stringify(doc.paths['/viperflow/createlogicalnetwork']!.post.requestBody)).toContain(
      '"physicalnetwork"',
    );
    const page = await app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/swagger/i);
  });

  it('reports health and Prometheus metrics', async () => {
    expect(await call('GET', '/healthz')).toEqual({ status: 200, body: { status: 'ok', down: [] } });
    await call('GET', '/viperflow/nosuch');
    const m = await app.inject({ method: 'GET', url: '/metrics' });
    expect(m.body).toMatch(/vlcp_api_calls_total\{module="viperflow",api="nosuch"\} \d+/);
    expect(m.body).toMatch(/vlcp_api_errors_total\{module="viperflow",api="nosuch",kind="client"\} \d+/);
  });

  it('lists modules through the core API', async () => {
    const r = await call('GET', '/core/listmodules');
    expect((r.body.result as { name: string }[]).map((m) => m.name)).toEqual(['core', 'viperflow']);
  });
});

describe('security', () => {
  it('requires the bearer token when one is set, except for /healthz', async () => {
    const secured = await buildWebApi(
      { modules: () => runtime.describe(), call: (m, a, p) => runtime.call(m, a, p) },
      { token: 's3cret' },
    );
    try {
      expect((await secured.inject({ url: '/core/health' })).statusCode).toBe(401);
      expect(
        (await secured.inject({ url: '/core/health', headers: { authorization: 'Bearer wrong' } }))
          .statusCode,
      ).toBe(401);
      expect(
        (await secured.inject({ url: '/core/health', headers: { authorization: 'Bearer s3cret' } }))
          .statusCode,
      ).toBe(200);
      expect((await secured.inject({ url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await secured.close();
    }
  });

  it('refuses a non-loopback address without a token unless told so', async () => {
    const rt = new Runtime({
      modules: [coreModule, webApiModule],
      config: { webapi: { listen: '0.0.0.0:0' } },
    });
    await expect(rt.start()).rejects.toThrow(/refusing to listen on 0.0.0.0:0 without a token/);
  });

  it('serves HTTPS with the configured certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vlcp-tls-'));
    try {
      const { certFile, keyFile, cert } = selfSignedCert(dir);
      const logs: string[] = [];
      const pino = (await import('pino')).default;
      const logged = new Runtime({
        modules: [coreModule, webApiModule],
        config: {
          webapi: { listen: '127.0.0.1:0', tlscert: certFile, tlskey: keyFile },
        },
        logger: pino({ level: 'info' }, { write: (s: string) => void logs.push(s) }),
      });
      await logged.start();
      try {
        const url = logs.map((l) => JSON.parse(l) as { url?: string }).find((l) => l.url)?.url;
        if (url === undefined) throw new Error(`no url in logs: ${logs.join('')}`);
        expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
        const body = await new Promise<string>((resolve, reject) => {
          https
            .get(
              `${url}/healthz`,
              {
                ca: cert,
                servername: 'localhost',
                checkServerIdentity: () => undefined,
              },
              (res) => {
                let d = '';
                res.on('data', (c: Buffer) => {
                  d += c.toString();
                });
                res.on('end', () => resolve(d));
              },
            )
            .on('error', reject);
        });
        expect(JSON.parse(body)).toEqual({ status: 'ok', down: [] });
      } finally {
        await logged.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('secrets', () => {
  it('listmodules shows neither the Web API token nor a store password', async () => {
    const rt = new Runtime({
      modules: [coreModule, webApiModule],
      config: { webapi: { listen: '127.0.0.1:0', token: 'hunter2' } },
    });
    await rt.start();
    try {
      const list = JSON.stringify(await rt.call('core', 'listmodules', {}));
      expect(list).not.toContain('hunter2');
      expect(list).toContain('"token":"***"');
    } finally {
      await rt.stop();
    }
  });
});
