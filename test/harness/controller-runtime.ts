/**
 * A module Runtime for tests and benchmarks: the modules given, plus a probe module that
 * hands the caller the services it names once every module has started; registered with
 * the cleanups. Modules in the list that reach outside get their usual test wiring: the
 * store a private embedded database in a temp folder (removed at stop), openflowmanager a
 * free port on 127.0.0.1, ovsdbmanager the OVSDB remote given.
 *
 * Not exported from the harness index: it loads the module runtime, which most tests do
 * not need.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { defineModule, type ModuleDefinition, Runtime, type ServiceToken } from '../../src/modules/runtime';
import { freePort } from './ports';
import { registerStop } from './register-stop';

type ModuleConfig = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** The services to take, by the name the caller wants them under. */
export type ServiceTokens = Readonly<Record<string, ServiceToken<unknown>>>;

export type TakenServices<S extends ServiceTokens> = {
  readonly [K in keyof S]: S[K] extends ServiceToken<infer T> ? T : never;
};

export interface ControllerRuntimeOptions<S extends ServiceTokens> {
  /** Names the runtime in cleanup errors. */
  readonly what: string;
  readonly modules: readonly ModuleDefinition[];
  readonly services: S;
  /** With `store` in the list: its URL; default a private embedded store. */
  readonly storeUrl?: string;
  /** With `openflowmanager` in the list: its port on 127.0.0.1; default a free one. */
  readonly openflowPort?: number;
  /** With `ovsdbmanager` in the list: its OVSDB remote. */
  readonly ovsdb?: string;
  /** More module config; a module named here gets exactly this instead of the wiring above. */
  readonly config?: ModuleConfig;
  /** Runs before the runtime starts (to subscribe to its first events). */
  readonly beforeStart?: (runtime: Runtime) => void;
}

export interface ControllerRuntime<S extends ServiceTokens> {
  readonly runtime: Runtime;
  readonly services: TakenServices<S>;
  /** The OpenFlow listener's port; 0 without openflowmanager. */
  readonly openflowPort: number;
  /** The store's URL; undefined without the store. */
  readonly storeUrl: string | undefined;
  /** Stops the runtime, then removes a private store; a second call does nothing. */
  stop(): Promise<void>;
}

export async function startControllerRuntime<S extends ServiceTokens>(
  options: ControllerRuntimeOptions<S>,
): Promise<ControllerRuntime<S>> {
  const has = (name: string) => options.modules.some((m) => m.name === name);
  const storeDir =
    has('store') && options.storeUrl === undefined
      ? mkdtempSync(join(tmpdir(), 'vlcp-ts-store-'))
      : undefined;
  const storeUrl = storeDir !== undefined ? `embedded:${join(storeDir, 'data')}` : options.storeUrl;
  const openflowPort = has('openflowmanager') ? (options.openflowPort ?? (await freePort())) : 0;
  const wiring: Record<string, Readonly<Record<string, unknown>>> = {};
  if (storeUrl !== undefined && has('store')) wiring.store = { url: storeUrl };
  if (openflowPort !== 0) wiring.openflowmanager = { listen: `127.0.0.1:${openflowPort}` };
  if (options.ovsdb !== undefined && has('ovsdbmanager')) wiring.ovsdbmanager = { ovsdb: options.ovsdb };

  const taken: Record<string, unknown> = {};
  const probe = defineModule({
    name: 'probe',
    description: 'test: takes the services the test asked for',
    // After every other module, so every service is there.
    depends: options.modules.map((m) => m.name),
    config: Type.Object({}, { additionalProperties: false }),
    create: (ctx) => ({
      start() {
        for (const [key, token] of Object.entries(options.services)) taken[key] = ctx.service(token);
      },
    }),
  });
  const removeStore = () => {
    if (storeDir !== undefined) rmSync(storeDir, { recursive: true, force: true });
  };
  let runtime: Runtime;
  try {
    // A bad config throws here, a module that fails to start in start(): neither leaves a store.
    runtime = new Runtime({ modules: [...options.modules, probe], config: { ...wiring, ...options.config } });
    options.beforeStart?.(runtime);
    await runtime.start();
  } catch (e) {
    removeStore();
    throw e;
  }
  // At exit nothing asynchronous runs: switch connections die with the process.
  const stop = registerStop(
    options.what,
    async () => {
      await runtime.stop();
      if (storeDir !== undefined) await rm(storeDir, { recursive: true, force: true });
    },
    removeStore,
  );
  return { runtime, services: taken as TakenServices<S>, openflowPort, storeUrl, stop };
}
