/**
 * A runtime of the store and the given config modules for API tests, with the runtime's
 * ObjectDb handed to the test and the client error a refused call fails with.
 */
import {
  ApiCallError,
  ApiInputError,
  type ModuleDefinition,
  type Runtime,
} from '../../../src/modules/runtime';
import { ObjectDbService, storeModule } from '../../../src/modules/store/store-module';
import type { ObjectDb } from '../../../src/objectdb';
import { startControllerRuntime } from '../../harness/controller-runtime';

export type Params = Readonly<Record<string, unknown>>;

export interface ApiEnv {
  readonly runtime: Runtime;
  readonly db: ObjectDb;
  /** The error a call fails with (the test fails if it succeeds). */
  failure(module: string, api: string, params?: Params): Promise<ApiInputError | ApiCallError>;
  stop(): Promise<void>;
}

/** `modules` beside the store at `url`. */
export async function startApiEnv(url: string, modules: readonly ModuleDefinition[]): Promise<ApiEnv> {
  const { runtime, services, stop } = await startControllerRuntime({
    what: 'api test runtime',
    modules: [storeModule, ...modules],
    services: { db: ObjectDbService },
    storeUrl: url,
  });
  return {
    runtime,
    db: services.db,
    async failure(module, api, params = {}) {
      const e = await runtime.call(module, api, params).then(
        (r) => new Error(`${api} succeeded: ${JSON.stringify(r)}`),
        (err: unknown) => err,
      );
      if (!(e instanceof ApiInputError || e instanceof ApiCallError)) throw e;
      return e;
    },
    stop,
  };
}
