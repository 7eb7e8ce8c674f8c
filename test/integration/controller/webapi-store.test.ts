import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { coreModule } from '../../../src/modules/core/core-module';
import { defineModule, Runtime } from '../../../src/modules/runtime';
import { ObjectDbService, storeModule } from '../../../src/modules/store/store-module';
import { viperflowModule } from '../../../src/modules/viperflow/viperflow-module';
import type { ObjectDb } from '../../../src/objectdb';
import { webApiModule } from '../../../src/webapi';
import { freePort } from '../../harness';

const dir = mkdtempSync(join(tmpdir(), 'vlcp-webapi-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let runtime: Runtime;
let db: ObjectDb;
let base: string;

beforeAll(async () => {
  const probe = defineModule({
    name: 'probe',
    description: 'test: takes the store',
    depends: ['store'],
    config: Type.Object({}, { additionalProperties: false }),
    create: (ctx) => ({
      start() {
        db = ctx.service(ObjectDbService);
      },
    }),
  });
  const port = await freePort();
  runtime = new Runtime({
    modules: [coreModule, storeModule, viperflowModule, probe, webApiModule],
    config: {
      store: { url: `embedded:${join(dir, 'data')}` },
      webapi: { listen: `127.0.0.1:${port}`, bodylimit: 1024 },
    },
  });
  await runtime.start();
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await runtime?.stop();
});

async function call(method: 'GET' | 'POST', path: string, body?: string, type?: string) {
  const r = await fetch(`${base}${path}`, {
    method,
    ...(body !== undefined ? { body } : {}),
    headers: type ? { 'content-type': type } : {},
  });
  return {
    status: r.status,
    body: (await r.json()) as { result?: unknown; error?: string; parameter?: string },
  };
}

/** What the store holds, as far as the APIs show it, and its commit sequence number. */
async function snapshot() {
  return {
    seq: (await db.get([])).seq,
    physical: (await call('GET', '/viperflow/listphysicalnetworks')).body.result,
    logical: (await call('GET', '/viperflow/listlogicalnetworks')).body.result,
  };
}

describe('viperflow through the real Web API on an embedded store', () => {
  it('takes each calling convention and backtick literals, and writes what it is told', async () => {
    const empty = await snapshot();
    const created = await call(
      'GET',
      '/viperflow/createphysicalnetwork?id=pn&type=vlan&vlanrange=`[[100,200]]`',
    );
    expect(created).toMatchObject({ status: 200, body: { result: [{ id: 'pn', vlanrange: [[100, 200]] }] } });
    const form = await call(
      'POST',
      '/viperflow/createlogicalnetwork',
      'physicalnetwork=pn&id=ln-form&vlanid=101',
      'application/x-www-form-urlencoded',
    );
    expect(form).toMatchObject({ status: 200, body: { result: [{ id: 'ln-form', vlanid: 101 }] } });
    const json = await call(
      'POST',
      '/viperflow/createlogicalnetwork',
      JSON.stringify({ physicalnetwork: 'pn', id: 'ln-json', mtu: 1400, owner: { team: 'a' } }),
      'application/json',
    );
    expect(json).toMatchObject({
      status: 200,
      body: { result: [{ id: 'ln-json', mtu: 1400, owner: { team: 'a' } }] },
    });
    const literal = await call(
      'GET',
      '/viperflow/createlogicalnetwork?physicalnetwork=pn&id=ln-lit&tags=`{"a": [1, "x"]}`',
    );
    expect(literal).toMatchObject({
      status: 200,
      body: { result: [{ id: 'ln-lit', tags: { a: [1, 'x'] } }] },
    });
    // The snapshot the refusals compare sees writes: seq and listings moved.
    const written = await snapshot();
    expect(written.seq).toBeGreaterThan(empty.seq);
    expect(written.logical).toHaveLength(3);
  });

  const bad: [string, 'GET' | 'POST', string, string | undefined, string | undefined, number, RegExp][] = [
    [
      'unknown module',
      'GET',
      '/nosuch/createlogicalnetwork?physicalnetwork=pn',
      undefined,
      undefined,
      404,
      /no module named nosuch/,
    ],
    [
      'unknown API',
      'GET',
      '/viperflow/nosuch?physicalnetwork=pn',
      undefined,
      undefined,
      404,
      /has no API nosuch/,
    ],
    [
      'missing parameter',
      'GET',
      '/viperflow/createlogicalnetwork?id=x',
      undefined,
      undefined,
      400,
      /physicalnetwork/,
    ],
    [
      'mistyped parameter',
      'GET',
      '/viperflow/createlogicalnetwork?physicalnetwork=pn&id=x&vlanid=abc',
      undefined,
      undefined,
      400,
      /vlanid/,
    ],
    [
      'mistyped backtick literal',
      'GET',
      '/viperflow/createlogicalnetwork?physicalnetwork=pn&id=x&mtu=`[1]`',
      undefined,
      undefined,
      400,
      /mtu/,
    ],
    [
      'code in a backtick',
      'GET',
      '/viperflow/createlogicalnetwork?physicalnetwork=pn&id=x&mtu=`process.exit(1)`',
      undefined,
      undefined,
      400,
      /mtu/,
    ],
    ['extra parameter on a strict API', 'GET', '/store/info?nosuch=1', undefined, undefined, 400, /nosuch/],
    [
      'a vlan outside the range',
      'GET',
      '/viperflow/createlogicalnetwork?physicalnetwork=pn&id=x&vlanid=4000',
      undefined,
      undefined,
      400,
      /4000/,
    ],
    [
      'an unknown physical network',
      'GET',
      '/viperflow/createlogicalnetwork?physicalnetwork=nope&id=x',
      undefined,
      undefined,
      404,
      /nope/,
    ],
    [
      'an id taken',
      'GET',
      '/viperflow/createlogicalnetwork?physicalnetwork=pn&id=ln-form',
      undefined,
      undefined,
      409,
      /ln-form/,
    ],
    [
      'malformed JSON',
      'POST',
      '/viperflow/createlogicalnetwork',
      '{"physicalnetwork": "pn",',
      'application/json',
      400,
      /not valid JSON/,
    ],
    [
      'oversized body',
      'POST',
      '/viperflow/createlogicalnetwork',
      JSON.stringify({ physicalnetwork: 'pn', id: 'x', pad: 'x'.repeat(2000) }),
      'application/json',
      413,
      /larger than the limit of 1024 bytes/,
    ],
    [
      'one bad network in a batch',
      'POST',
      '/viperflow/createlogicalnetworks',
      JSON.stringify({
        networks: [
          { physicalnetwork: 'pn', id: 'ok-1' },
          { physicalnetwork: 'pn', id: 'bad', vlanid: 9999 },
        ],
      }),
      'application/json',
      400,
      /9999/,
    ],
  ];
  it.each(bad)(
    'refuses %s with the right 4xx and writes nothing',
    async (_name, method, path, body, type, status, pattern) => {
      const before = await snapshot();
      const r = await call(method, path, body, type);
      expect(r.status).toBe(status);
      expect(String(r.body.error)).toMatch(pattern);
      expect(await snapshot()).toEqual(before);
    },
  );
});
