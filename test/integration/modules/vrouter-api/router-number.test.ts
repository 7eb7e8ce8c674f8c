/**
 * Router numbers (`routerno`) on both store backends: assigned from the counter in the
 * creating transaction, distinct under concurrent creates (two controller nodes on one
 * Redis), kept by updates, never reused, refused as a parameter, refused once the 32 bits
 * L3 carries them in are used up, and given to routers stored without one (at module start,
 * or on the router's next update). Every refusal leaves the store, counter included, as it was.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiInputError } from '../../../../src/modules/runtime';
import { MAX_ROUTER_NUMBER, routerCounterKey, routerKey } from '../../../../src/modules/vrouter-api';
import type { JsonValue, ObjectDb } from '../../../../src/objectdb';
import { cleanupAll, type RedisInstance, startRedis } from '../../../harness';
import { routerContents, routerInvariants } from './contents';
import { type RouterEnv, startRouterEnv } from './env';

type Obj = Record<string, JsonValue> & { id: string };
const list = (v: unknown) => v as Obj[];
const numberOf = (v: unknown) => list(v)[0]!.routerno as number;

let redis: RedisInstance;
const dir = mkdtempSync(join(tmpdir(), 'vrouterapi-routerno-'));
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(cleanupAll);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function counterNext(db: ObjectDb): Promise<unknown> {
  const { result } = await db.walk((tx) => tx.get(routerCounterKey()));
  return (result as Obj | null)?.next;
}

/** Writes the router objects back without `routerno`, as a store from before router numbers holds them. */
async function stripNumbers(db: ObjectDb, ids: readonly string[]): Promise<void> {
  await db.walk(async (tx) => {
    const keys = ids.map(routerKey);
    const values = await tx.getMany(keys);
    keys.forEach((k, i) => {
      const { routerno: _n, ...rest } = values[i] as Obj;
      tx.set(k, rest);
    });
  });
}

/** Expects the call to be refused with `status` and a message matching `message`, changing nothing. */
async function refused(
  env: RouterEnv,
  api: string,
  params: Record<string, unknown>,
  status: 400 | 409,
  message: RegExp,
): Promise<void> {
  const before = await routerContents(env.db);
  const e = await env.failure(api, params);
  expect(e.message).toMatch(message);
  expect(e instanceof ApiInputError ? e.status : 400).toBe(status);
  expect(await routerContents(env.db)).toEqual(before);
}

for (const backend of ['embedded', 'redis'] as const) {
  let db = 0;
  /** A store of its own per test. */
  const freshUrl = () =>
    backend === 'embedded' ? `embedded:${join(dir, `s${++db}`)}` : `${redis.url}/${++db}`;

  describe(`router numbers (${backend} store)`, () => {
    let env: RouterEnv | undefined;
    afterEach(async () => {
      if (env !== undefined) {
        expect(routerInvariants(await routerContents(env.db))).toEqual([]);
        await env.stop();
      }
      env = undefined;
    });

    it('each router gets the next number at creation; updates keep it, deletes never free it', async () => {
      env = await startRouterEnv(freshUrl());
      const a = numberOf(await env.call('createvirtualrouter', { id: 'a' }));
      const batch = list(
        await env.call('createvirtualrouters', { routers: [{ id: 'b' }, {}, { id: 'c', name: 'x' }] }),
      );
      expect([a, ...batch.map((r) => r.routerno)]).toEqual([1, 2, 3, 4]);
      expect(await counterNext(env.db)).toBe(5);
      expect(numberOf(await env.call('updatevirtualrouter', { id: 'b', name: 'renamed' }))).toBe(2);
      expect(numberOf(await env.call('listvirtualrouters', { id: 'c' }))).toBe(4);
      await env.call('deletevirtualrouter', { id: 'c' });
      // A deleted router's number stays retired: flows still on a switch may carry it.
      expect(numberOf(await env.call('createvirtualrouter', { id: 'c' }))).toBe(5);
    });

    it('refuses routerno as a parameter of create, batch create and update, changing nothing', async () => {
      env = await startRouterEnv(freshUrl());
      await env.call('createvirtualrouter', { id: 'a' });
      await refused(
        env,
        'createvirtualrouter',
        { id: 'b', routerno: 7 },
        400,
        /^routerno: is the router number/,
      );
      await refused(
        env,
        'createvirtualrouters',
        { routers: [{ id: 'b' }, { id: 'c', routerno: 1 }] },
        400,
        /^routers\.1\.routerno: is the router number the controller assigns/,
      );
      await refused(
        env,
        'updatevirtualrouter',
        { id: 'a', routerno: 9 },
        400,
        /^routerno: .*cannot be given/,
      );
      await refused(
        env,
        'updatevirtualrouters',
        { routers: [{ id: 'a', routerno: '1' }] },
        400,
        /^routers\.0\.routerno: /,
      );
      expect(numberOf(await env.call('listvirtualrouters', { id: 'a' }))).toBe(1);
    });

    it('refuses creates once the 32-bit numbers are used up, a batch as a whole', async () => {
      env = await startRouterEnv(freshUrl());
      await env.db.walk(async (tx) => {
        tx.set(routerCounterKey(), { next: MAX_ROUTER_NUMBER - 1 });
      });
      expect(numberOf(await env.call('createvirtualrouter', { id: 'a' }))).toBe(MAX_ROUTER_NUMBER - 1);
      await refused(
        env,
        'createvirtualrouters',
        { routers: [{ id: 'b' }, { id: 'c' }] },
        409,
        /^routers\.1\.id: no router numbers left \(4294967295 virtual routers made; L3 carries the number in 32 bits\)/,
      );
      expect(numberOf(await env.call('createvirtualrouter', { id: 'b' }))).toBe(MAX_ROUTER_NUMBER);
      await refused(env, 'createvirtualrouter', { id: 'c' }, 409, /^id: no router numbers left/);
      // Updating and deleting still work.
      await env.call('updatevirtualrouter', { id: 'a', name: 'still here' });
      await env.call('deletevirtualrouter', { id: 'b' });
      await refused(env, 'createvirtualrouter', { id: 'b' }, 409, /^id: no router numbers left/);
    });

    it('routers stored without a number get one on their next update, and all at start', async () => {
      const url = freshUrl();
      env = await startRouterEnv(url);
      await env.call('createvirtualrouters', { routers: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] });
      await stripNumbers(env.db, ['a', 'b', 'c']);
      expect(list(await env.call('listvirtualrouters', {})).map((r) => r.routerno)).toEqual([
        undefined,
        undefined,
        undefined,
      ]);
      expect(numberOf(await env.call('updatevirtualrouter', { id: 'b', name: 'touched' }))).toBe(4);
      await env.stop();
      env = await startRouterEnv(url);
      const all = list(await env.call('listvirtualrouters', {}));
      expect(Object.fromEntries(all.map((r) => [r.id, r.routerno]))).toEqual({ a: 5, b: 4, c: 6 });
      expect(await counterNext(env.db)).toBe(7);
      // Nothing to do on a second start: the numbers stay.
      await env.stop();
      env = await startRouterEnv(url);
      expect(list(await env.call('listvirtualrouters', {})).map((r) => r.routerno)).toEqual(
        all.map((r) => r.routerno),
      );
      expect(await counterNext(env.db)).toBe(7);
    });

    it('concurrent creates take distinct numbers', async () => {
      const url = freshUrl();
      env = await startRouterEnv(url);
      // Two controller nodes on one store where the backend allows it (Redis), else one.
      const other = backend === 'redis' ? await startRouterEnv(url) : env;
      try {
        const nodes = [env, other];
        const made = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            nodes[i % 2]!.call('createvirtualrouter', { id: `r${i}` }).then(numberOf),
          ),
        );
        expect(new Set(made).size).toBe(40);
        expect([...made].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        expect(await counterNext(env.db)).toBe(41);
      } finally {
        if (other !== env) await other.stop();
      }
    });
  });
}
