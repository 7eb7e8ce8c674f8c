/**
 * `vlcp-ts store export` and `vlcp-ts store import`, run as an operator would: configuration
 * written through one controller's Web API on the embedded store is exported, imported into
 * a private Redis, and a controller started on Redis serves the same configuration. Refusals
 * (a locked store, a store that holds data, a bad file) exit non-zero with a message naming
 * the problem and write nothing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupAll, freePort, type RedisInstance, startRedis } from '../../harness';
import { type CliRun, MAIN, spawnCli, startCli } from './cli-process';

const dir = mkdtempSync(join(tmpdir(), 'vlcp-store-cli-'));
let redis: RedisInstance;
beforeAll(async () => {
  redis = await startRedis();
}, 60_000);
afterAll(async () => {
  await cleanupAll();
  rmSync(dir, { recursive: true, force: true });
});

/** `vlcp-ts store ...`; resolves with its exit code and output. */
async function store(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = spawnCli(process.execPath, [MAIN, 'store', ...args], dir);
  const code = await run.exit;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** A controller on `url` (no switch, an OVSDB listener nobody connects to). */
async function controller(url: string): Promise<{ run: CliRun; api: string }> {
  const run = startCli(
    [
      '--openflow-listen',
      `127.0.0.1:${await freePort()}`,
      '--ovsdb',
      `ptcp:${await freePort()}:127.0.0.1`,
      '--webapi-listen',
      '127.0.0.1:0',
      '--store',
      url,
    ],
    dir,
  );
  const api = String((await run.waitForLog('Web API listening')).url);
  await run.waitForLog('started');
  return { run, api };
}

async function call<T>(api: string, path: string, params: Record<string, unknown> = {}): Promise<T> {
  const r = await fetch(`${api}/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  const body = (await r.json()) as { result: T };
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(body)}`);
  return body.result;
}

async function stop(run: CliRun): Promise<void> {
  run.child.kill('SIGTERM');
  expect(await run.exit).toBe(0);
}

/** What the operator configured, as the Web API lists it. */
async function listed(api: string) {
  return {
    physical: await call(api, 'viperflow/listphysicalnetworks'),
    logical: await call(api, 'viperflow/listlogicalnetworks'),
    subnets: await call(api, 'viperflow/listsubnets'),
    ports: await call(api, 'viperflow/listlogicalports'),
    routers: await call(api, 'vrouterapi/listvirtualrouters'),
  };
}

const embedded = `embedded:${join(dir, 'store')}`;
const backup = join(dir, 'backup.json');
const liveBackup = join(dir, 'live-backup.json');

describe('vlcp-ts store export / import', () => {
  let before: Awaited<ReturnType<typeof listed>>;

  beforeAll(async () => {
    const { run, api } = await controller(embedded);
    try {
      await call(api, 'viperflow/createphysicalnetwork', {
        id: 'phy',
        type: 'vlan',
        vlanrange: [[100, 200]],
      });
      await call(api, 'viperflow/createlogicalnetwork', { id: 'ln1', physicalnetwork: 'phy', mtu: 1400 });
      await call(api, 'viperflow/createsubnet', {
        id: 's1',
        logicalnetwork: 'ln1',
        cidr: '10.60.0.0/24',
        gateway: '10.60.0.1',
      });
      await call(api, 'viperflow/createlogicalports', {
        ports: Array.from({ length: 20 }, (_, i) => ({ id: `vm${i}`, logicalnetwork: 'ln1', subnet: 's1' })),
      });
      await call(api, 'vrouterapi/createvirtualrouter', { id: 'r1' });
      await call(api, 'vrouterapi/addrouterinterface', { router: 'r1', subnet: 's1' });
      before = await listed(api);

      // While the controller holds the embedded store, an export is refused with the reason.
      const locked = await store('export', '--store', embedded);
      expect(locked.code).toBe(1);
      expect(locked.stderr).toMatch(
        /is locked by live process \d+: stop the controller that uses this store first, or export through its Web API \(--api URL\)/,
      );
      // Through the running controller's Web API instead: a live backup.
      const live = await store('export', '--api', api, '-o', liveBackup);
      expect(live.code).toBe(0);
      expect(live.stderr).toMatch(/^exported \d+ keys \(store at commit \d+\) from http:/);
      expect((await store('export', '--api', api, '--store', embedded)).stderr).toMatch(
        /--api reads from a running controller: leave out --store and --config/,
      );
    } finally {
      await stop(run);
    }
  }, 120_000);

  it('exports the stopped store to a file, the same file for the same state', async () => {
    const r = await store('export', '--store', embedded, '-o', backup);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^exported \d+ keys \(store at commit \d+\) from embedded:.* to .*backup\.json/);
    const file = JSON.parse(readFileSync(backup, 'utf8')) as {
      format: string;
      values: Record<string, unknown>;
    };
    expect(file.format).toBe('vlcp-ts-objectdb');
    expect(file.values['viperflow.logicalport.vm7']).toMatchObject({ id: 'vm7' });
    // To stdout as well; only the time stamp differs.
    const again = await store('export', '--store', embedded);
    const strip = (t: string) => t.replace(/"exported_at": "[^"]*"/, '');
    expect(strip(again.stdout)).toBe(strip(readFileSync(backup, 'utf8')));
  }, 60_000);

  it('the live export through the Web API is the same copy as the export of the stopped store', async () => {
    const strip = (t: string) => t.replace(/"exported_at": "[^"]*"/, '');
    expect(strip(readFileSync(liveBackup, 'utf8'))).toBe(strip(readFileSync(backup, 'utf8')));
    const down = await store('export', '--api', 'http://127.0.0.1:1');
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:1\/store\/export/);
  }, 60_000);

  it('imports it into Redis, where a controller serves the same configuration', async () => {
    const url = `${redis.url}/2`;
    const r = await store('import', backup, '--store', url);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^imported \d+ keys in 1 transaction into redis:/);
    const { run, api } = await controller(url);
    try {
      expect(await listed(api)).toEqual(before);
      // And it goes on from there: counters came along, so new ids do not collide.
      await call(api, 'viperflow/createlogicalnetwork', { id: 'ln2', physicalnetwork: 'phy' });
      const nets = await call<{ id: string; vlanid: number }[]>(api, 'viperflow/listlogicalnetworks');
      expect(new Set(nets.map((n) => n.vlanid)).size).toBe(2);
    } finally {
      await stop(run);
    }
  }, 120_000);

  it('refuses to import into a store that holds data, and leaves it as it was', async () => {
    const url = `${redis.url}/2`;
    const was = await store('export', '--store', url);
    const r = await store('import', backup, '--store', url);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /the store already holds \d+ keys .*; import only into an empty store — nothing was written/,
    );
    const now = await store('export', '--store', url);
    const strip = (t: string) => t.replace(/"exported_at": "[^"]*"/, '');
    expect(strip(now.stdout)).toBe(strip(was.stdout));
  }, 60_000);

  it.each([
    ['not JSON', '{"format": ', /: not JSON: /],
    [
      'another format',
      '{"format": "other", "version": 1}',
      /: format: expected "vlcp-ts-objectdb", got "other"/,
    ],
    ['a newer version', '{"format": "vlcp-ts-objectdb", "version": 2}', /: version: 2 is not supported/],
    [
      'a bad key',
      '{"format": "vlcp-ts-objectdb", "version": 1, "seq": 1, "values": {"a key": 1}}',
      /: values\.a key: only printable ASCII without spaces is allowed/,
    ],
    [
      'a null value',
      '{"format": "vlcp-ts-objectdb", "version": 1, "seq": 1, "values": {"k": null}}',
      /: values\.k: null is not a value/,
    ],
  ])(
    'refuses a file with %s (exit 2), writing nothing',
    async (_what, text, message) => {
      const file = join(dir, 'bad.json');
      writeFileSync(file, text);
      const target = `embedded:${mkdtempSync(join(dir, 'empty-'))}`;
      const r = await store('import', file, '--store', target);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/nothing was written/);
      expect((await store('export', '--store', target)).stderr).toMatch(/^exported 0 keys/);
    },
    60_000,
  );
});
