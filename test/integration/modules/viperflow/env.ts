/** A module runtime with store + viperflow for tests, and a handle on its ObjectDb. */
import type { ApiCallError, ApiInputError, Runtime } from '../../../../src/modules/runtime';
import { viperflowModule } from '../../../../src/modules/viperflow';
import type { ObjectDb } from '../../../../src/objectdb';
import { type Params, startApiEnv } from '../api-env';

export interface ViperflowEnv {
  readonly runtime: Runtime;
  readonly db: ObjectDb;
  call(api: string, params?: Params): Promise<unknown>;
  /** The error a call fails with (the test fails if it succeeds). */
  failure(api: string, params?: Params): Promise<ApiInputError | ApiCallError>;
  stop(): Promise<void>;
}

export async function startViperflow(url: string): Promise<ViperflowEnv> {
  const env = await startApiEnv(url, [viperflowModule]);
  return {
    runtime: env.runtime,
    db: env.db,
    call: (api, params = {}) => env.runtime.call('viperflow', api, params),
    failure: (api, params) => env.failure('viperflow', api, params),
    stop: env.stop,
  };
}
