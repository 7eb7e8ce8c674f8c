/** A module runtime with store + viperflow + vrouterapi for tests, and a handle on its ObjectDb. */
import type { ApiCallError, ApiInputError, Runtime } from '../../../../src/modules/runtime';
import { viperflowModule } from '../../../../src/modules/viperflow';
import { vrouterApiModule } from '../../../../src/modules/vrouter-api';
import type { ObjectDb } from '../../../../src/objectdb';
import { type Params, startApiEnv } from '../api-env';

export interface RouterEnv {
  readonly runtime: Runtime;
  readonly db: ObjectDb;
  /** A vrouterapi call. */
  call(api: string, params?: Params): Promise<unknown>;
  /** A viperflow call. */
  vf(api: string, params?: Params): Promise<unknown>;
  /** The error a vrouterapi (or, with module, another module's) call fails with; the test fails if it succeeds. */
  failure(api: string, params?: Params, module?: string): Promise<ApiInputError | ApiCallError>;
  stop(): Promise<void>;
}

export async function startRouterEnv(url: string): Promise<RouterEnv> {
  const env = await startApiEnv(url, [viperflowModule, vrouterApiModule]);
  return {
    runtime: env.runtime,
    db: env.db,
    call: (api, params = {}) => env.runtime.call('vrouterapi', api, params),
    vf: (api, params = {}) => env.runtime.call('viperflow', api, params),
    failure: (api, params, module = 'vrouterapi') => env.failure(module, api, params),
    stop: env.stop,
  };
}
