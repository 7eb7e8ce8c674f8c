/**
 * `allowed_address_pairs` on logical ports through the module runtime's call path (embedded
 * store) and the real Web API: stored in the checked form, replaced and cleared by update,
 * other attributes untouched; every bad value refused with an AddressPairError naming the
 * port, the attribute and the entry, the store unchanged (batches included).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { AddressPairError } from '../../../../src/modules/viperflow';
import type { JsonValue } from '../../../../src/objectdb';
import { buildWebApi } from '../../../../src/webapi';
import { startViperflow, type ViperflowEnv } from './env';
import { brokenInvariants, storeContents } from './store-contents';

type Obj = Record<string, JsonValue> & { id: string };
const list = (v: unknown) => v as Obj[];

const dir = mkdtempSync(join(tmpdir(), 'viperflow-pairs-'));
let env: ViperflowEnv;
let app: FastifyInstance;

beforeAll(async () => {
  env = await startViperflow(`embedded:${join(dir, 'data')}`);
  app = await buildWebApi({
    modules: () => env.runtime.describe(),
    call: (m, a, p) => env.runtime.call(m, a, p),
  });
  await env.call('createphysicalnetwork', { id: 'phy', type: 'vlan', vlanrange: [[100, 110]] });
  await env.call('createlogicalnetwork', { id: 'net', physicalnetwork: 'phy' });
  await env.call('createsubnet', { id: 'sub', logicalnetwork: 'net', cidr: '10.2.0.0/24' });
});
afterAll(async () => {
  await app?.close();
  await env?.stop();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  expect(brokenInvariants(await storeContents(env.db))).toEqual([]);
});

const ROUTER = [{ ip_address: '192.168.50.0/24' }];

describe('allowed_address_pairs', () => {
  it('is stored as given (MACs lower case) on create, and returned', async () => {
    const r = list(
      await env.call('createlogicalport', {
        id: 'r1',
        logicalnetwork: 'net',
        subnet: 'sub',
        ip_address: '10.2.0.5',
        hostname: 'router',
        allowed_address_pairs: [
          { ip_address: '192.168.50.0/24' },
          { ip_address: '10.2.0.100', mac_address: '00:00:5E:00:01:07' },
        ],
      }),
    );
    expect(r[0]!.allowed_address_pairs).toEqual([
      { ip_address: '192.168.50.0/24' },
      { ip_address: '10.2.0.100', mac_address: '00:00:5e:00:01:07' },
    ]);
    expect(r[0]!.hostname).toBe('router');
    expect(list(await env.call('listlogicalports', { id: 'r1' }))[0]!.allowed_address_pairs).toEqual(
      r[0]!.allowed_address_pairs,
    );
  });

  it('update replaces the list, null or [] clears it; the other attributes stay', async () => {
    await env.call('createlogicalport', { id: 'r2', logicalnetwork: 'net', subnet: 'sub', note: 'x' });
    const before = list(await env.call('listlogicalports', { id: 'r2' }))[0]!;
    const set = list(await env.call('updatelogicalport', { id: 'r2', allowed_address_pairs: ROUTER }))[0]!;
    expect(set).toEqual({ ...before, allowed_address_pairs: ROUTER });
    const other = list(await env.call('updatelogicalport', { id: 'r2', hostname: 'h' }))[0]!;
    expect(other.allowed_address_pairs).toEqual(ROUTER);
    for (const clear of [null, []]) {
      await env.call('updatelogicalport', { id: 'r2', allowed_address_pairs: ROUTER });
      const cleared = list(
        await env.call('updatelogicalport', { id: 'r2', allowed_address_pairs: clear }),
      )[0]!;
      expect(cleared).toEqual({ ...before, hostname: 'h' });
      expect('allowed_address_pairs' in cleared).toBe(false);
    }
    // Created with [] or null: not stored at all.
    const none = list(
      await env.call('createlogicalports', {
        ports: [
          { id: 'r3', logicalnetwork: 'net', allowed_address_pairs: [] },
          { id: 'r4', logicalnetwork: 'net', allowed_address_pairs: null },
        ],
      }),
    );
    expect(none.map((p) => 'allowed_address_pairs' in p)).toEqual([false, false]);
  });

  it.each<[string, unknown, string, number | undefined, RegExp]>([
    ['not a list', '192.168.50.0/24', 'allowed_address_pairs', undefined, /must be a list/],
    [
      'an object, not a list',
      { ip_address: '10.0.0.0/8' },
      'allowed_address_pairs',
      undefined,
      /must be a list/,
    ],
    ['an entry not an object', [ROUTER[0], 'x'], 'allowed_address_pairs.1', 1, /entry 1 must be an object/],
    ['an entry that is a list', [['10.0.0.0/8']], 'allowed_address_pairs.0', 0, /must be an object/],
    [
      'no ip_address',
      [{ mac_address: '02:00:00:00:00:09' }],
      'allowed_address_pairs.0.ip_address',
      0,
      /needs ip_address/,
    ],
    [
      'a bad address',
      [{ ip_address: '10.0.0.256' }],
      'allowed_address_pairs.0.ip_address',
      0,
      /not an IPv4 address/,
    ],
    [
      'a leading zero',
      [{ ip_address: '10.0.0.01' }],
      'allowed_address_pairs.0.ip_address',
      0,
      /not an IPv4 address/,
    ],
    [
      'a bad prefix length',
      [{ ip_address: '10.0.0.0/33' }],
      'allowed_address_pairs.0.ip_address',
      0,
      /not an IPv4/,
    ],
    [
      'host bits set',
      [ROUTER[0], { ip_address: '10.0.0.5/24' }],
      'allowed_address_pairs.1.ip_address',
      1,
      /10\.0\.0\.5\/24 has host bits set \(the network is 10\.0\.0\.0\/24\)/,
    ],
    [
      'a bad MAC',
      [{ ip_address: '10.0.0.5', mac_address: '02:00:00:00:00' }],
      'allowed_address_pairs.0.mac_address',
      0,
      /is not a MAC address/,
    ],
    [
      'a multicast MAC',
      [{ ip_address: '10.0.0.5', mac_address: '01:00:5e:00:00:01' }],
      'allowed_address_pairs.0.mac_address',
      0,
      /multicast/,
    ],
    [
      'an unknown key',
      [{ ip_address: '10.0.0.5', ipaddress: '10.0.0.6' }],
      'allowed_address_pairs.0.ipaddress',
      0,
      /unknown key "ipaddress"/,
    ],
  ])(
    '%s: refused naming the port, attribute and entry; nothing written',
    async (_, value, field, index, message) => {
      const before = await storeContents(env.db, ['viperflow.logicalport.bad', 'viperflow.logicalport.ok']);
      // Single create, single update, and a batch where the bad item is the second one.
      const create = await env.failure('createlogicalport', {
        id: 'bad',
        logicalnetwork: 'net',
        allowed_address_pairs: value,
      });
      expect(create).toBeInstanceOf(AddressPairError);
      const e = create as AddressPairError;
      expect([e.status, e.parameter, e.portId, e.index]).toEqual([400, field, 'bad', index]);
      expect(e.message).toMatch(new RegExp(`^${field.replace(/\./g, '\\.')}: logical port bad: `));
      expect(e.message).toMatch(message);
      const update = (await env.failure('updatelogicalport', {
        id: 'r1',
        allowed_address_pairs: value,
      })) as AddressPairError;
      expect([update.parameter, update.portId, update.index]).toEqual([field, 'r1', index]);
      const batch = (await env.failure('createlogicalports', {
        ports: [
          { id: 'ok', logicalnetwork: 'net', allowed_address_pairs: ROUTER },
          { id: 'bad', logicalnetwork: 'net', allowed_address_pairs: value },
        ],
      })) as AddressPairError;
      expect([batch.parameter, batch.portId]).toEqual([`ports.1.${field}`, 'bad']);
      const ubatch = (await env.failure('updatelogicalports', {
        ports: [
          { id: 'r2', allowed_address_pairs: ROUTER },
          { id: 'r1', allowed_address_pairs: value },
        ],
      })) as AddressPairError;
      expect([ubatch.parameter, ubatch.portId]).toEqual([`ports.1.${field}`, 'r1']);
      expect(await storeContents(env.db, ['viperflow.logicalport.bad', 'viperflow.logicalport.ok'])).toEqual(
        before,
      );
    },
  );

  it('through the Web API: JSON sets it, a bad entry is a 400 naming it', async () => {
    const post = async (api: string, body: unknown) => {
      const r = await app.inject({
        method: 'POST',
        url: `/viperflow/${api}`,
        payload: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
      return {
        status: r.statusCode,
        body: r.json() as { result?: Obj[]; error?: string; parameter?: string },
      };
    };
    const ok = await post('updatelogicalport', { id: 'r2', allowed_address_pairs: ROUTER });
    expect(ok.status).toBe(200);
    expect(ok.body.result![0]!.allowed_address_pairs).toEqual(ROUTER);
    const bad = await post('updatelogicalports', {
      ports: [{ id: 'r2', allowed_address_pairs: [{ ip_address: '192.168.50.1/24' }] }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.parameter).toBe('ports.0.allowed_address_pairs.0.ip_address');
    expect(bad.body.error).toMatch(/logical port r2: entry 0: 192\.168\.50\.1\/24 has host bits set/);
    expect(list(await env.call('listlogicalports', { id: 'r2' }))[0]!.allowed_address_pairs).toEqual(ROUTER);
  });
});
