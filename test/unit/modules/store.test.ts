import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import {
  defineApi,
  defineModule,
  ModuleStartError,
  Runtime,
  redactConfig,
  redactUrl,
  serviceToken,
} from '../../../src/modules/runtime';
import { ObjectDbService, storeModule } from '../../../src/modules/store/store-module';
import { toKey } from '../../../src/objectdb';

const dir = mkdtempSync(join(tmpdir(), 'vlcp-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A module that keeps a counter in the store, as configuration modules will. */
const counterModule = defineModule({
  name: 'counter',
  description: 'test',
  depends: ['store'],
  config: Type.Object({}, { additionalProperties: false }),
  create: (ctx) => ({
    apis: [
      defineApi({
        name: 'bump',
        description: 'adds one',
        params: Type.Object({}, { additionalProperties: false }),
        handler: async () => {
          const db = ctx.service(ObjectDbService);
          let now = 0;
          await db.transact(['test.counter'], (values) => {
            now = ((values.get(toKey('test.counter')) as number | null) ?? 0) + 1;
            return new Map([['test.counter', now]]);
          });
          return now;
        },
      }),
    ],
  }),
});

describe('store module', () => {
  it('opens the embedded store for other modules and keeps what they commit across restarts', async () => {
    const config = { store: { url: `embedded:${join(dir, 'data')}` } };
    for (const expected of [1, 2]) {
      const rt = new Runtime({ modules: [storeModule, counterModule], config });
      await rt.start();
      expect(await rt.call('counter', 'bump', {})).toBe(expected);
      expect(await rt.call('store', 'info', {})).toEqual({
        url: `embedded:${join(dir, 'data')}`,
        backend: 'embedded',
      });
      await rt.stop();
    }
  });

  it('says which service is missing when a module uses one nobody provides', async () => {
    const Missing = serviceToken<number>('nothing');
    const user = defineModule({
      name: 'user',
      description: 'test',
      depends: [],
      config: Type.Object({}, { additionalProperties: false }),
      create: (ctx) => ({ start: () => void ctx.service(Missing) }),
    });
    const err = await new Runtime({ modules: [user] }).start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModuleStartError);
    expect((err as Error).message).toMatch(/uses service nothing, which no started module provides/);
  });

  it('never logs a password', () => {
    expect(redactUrl('redis://:s3cret@10.0.0.1:6379/0')).toBe('redis://:***@10.0.0.1:6379/0');
    expect(redactUrl('redis://user:pw@h:1/0')).toBe('redis://user:***@h:1/0');
    expect(redactUrl('embedded:./data')).toBe('embedded:./data');
  });
});

describe('redaction', () => {
  it('masks writeOnly values and URL passwords in config shown to operators', () => {
    const schema = Type.Object({
      token: Type.String({ writeOnly: true }),
      url: Type.String(),
      n: Type.Integer(),
    });
    expect(redactConfig({ token: 'abc', url: 'redis://:pw@h:1/0', n: 3 }, schema)).toEqual({
      token: '***',
      url: 'redis://:***@h:1/0',
      n: 3,
    });
    expect(redactConfig({ token: '' }, schema)).toEqual({ token: '' });
  });
});
