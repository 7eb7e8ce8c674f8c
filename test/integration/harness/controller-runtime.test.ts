/** The controller-runtime builder the module tests share: services handed back, wiring, stop, refusals. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenflowManagerService, openflowManagerModule } from '../../../src/modules/openflow-manager';
import { ConfigError, serviceToken } from '../../../src/modules/runtime';
import { ObjectDbService, storeModule } from '../../../src/modules/store/store-module';
import { viperflowModule } from '../../../src/modules/viperflow';
import { cleanupAll, freePort } from '../../harness';
import { startControllerRuntime } from '../../harness/controller-runtime';

afterAll(cleanupAll);

describe('startControllerRuntime', () => {
  it('hands back the services asked for, over a private store it removes at stop', async () => {
    const c = await startControllerRuntime({
      what: 'test runtime',
      modules: [storeModule, viperflowModule],
      services: { db: ObjectDbService },
    });
    expect(c.openflowPort).toBe(0);
    expect(c.storeUrl).toMatch(/^embedded:.*vlcp-ts-store-[^/]+\/data$/);
    await c.runtime.call('viperflow', 'createphysicalnetwork', {
      id: 'p',
      type: 'vlan',
      vlanrange: [[1, 9]],
    });
    // The service is the runtime's own ObjectDb: it sees what the API wrote.
    const snap = await c.services.db.get(['viperflow.physicalnetwork.p']);
    expect(snap.values.get('viperflow.physicalnetwork.p' as never)).toMatchObject({ id: 'p', type: 'vlan' });
    const dir = c.storeUrl!.slice('embedded:'.length, -'/data'.length);
    expect(existsSync(dir)).toBe(true);
    await Promise.all([c.stop(), c.stop()]);
    await c.stop();
    expect(existsSync(dir)).toBe(false);
  });

  it('wires the port and store given, leaves a given store in place, and lets config replace wiring', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'controller-runtime-test-'));
    const port = await freePort();
    const c = await startControllerRuntime({
      what: 'test runtime',
      modules: [storeModule, openflowManagerModule],
      services: { openflow: OpenflowManagerService },
      storeUrl: `embedded:${join(dir, 'db')}`,
      openflowPort: port,
      config: { openflowmanager: { listen: `127.0.0.1:${port}`, echointerval: 7 } },
    });
    const config = (name: string) => c.runtime.describe().find((m) => m.name === name)?.config;
    expect(c.openflowPort).toBe(port);
    expect(config('store')).toMatchObject({ url: `embedded:${join(dir, 'db')}` });
    expect(config('openflowmanager')).toMatchObject({ listen: `127.0.0.1:${port}`, echointerval: 7 });
    expect(c.services.openflow.tables.number('ingress')).toBeGreaterThanOrEqual(0);
    await c.stop();
    expect(existsSync(join(dir, 'db'))).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a service no module provides, naming it, and a config for a module not loaded', async () => {
    await expect(
      startControllerRuntime({
        what: 'test runtime',
        modules: [storeModule],
        services: { nope: serviceToken<number>('nosuchservice') },
      }),
    ).rejects.toThrow(/nosuchservice/);
    await expect(
      startControllerRuntime({
        what: 'test runtime',
        modules: [storeModule],
        services: {},
        config: { nosuchmodule: {} },
      }),
    ).rejects.toBeInstanceOf(ConfigError);
  });
});
