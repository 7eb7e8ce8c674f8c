/** A module runtime with store + viperflow + vrouterapi for tests, and a handle on its ObjectDb. */
import { Type } from '@sinclair/typebox';
import { ApiCallError, ApiInputError, defineModule, Runtime } from '../../../../src/modules/runtime';
import { ObjectDbService, storeModule } from '../../../../src/modules/store/store-module';
import { viperflowModule } from '../../../../src/modules/viperflow';
import { vrouterApiModule } from '../../../../src/modules/vrouter-api';
import type { ObjectDb } from '../../../../src/objectdb';

type Params = Readonly<Record<string, unknown>>;

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
  let db: ObjectDb | undefined;
  // Test-only module: hands the runtime's ObjectDb to the test.
  const probe = defineModule({
    name: 'probe',
    description: 'test',
    depends: ['store'],
    config: Type.Object({}, { additionalProperties: false }),
    create: (ctx) => ({
      start() {
        db = ctx.service(ObjectDbService);
      },
    }),
  });
  const runtime = new Runtime({
    modules: [storeModule, viperflowModule, vrouterApiModule, probe],
    config: { store: { url } },
  });
  await runtime.start();
  const callIn =
    (module: string) =>
    (api: string, params: Params = {}) =>
      runtime.call(module, api, params);
  return {
    runtime,
    db: db!,
    call: callIn('vrouterapi'),
    vf: callIn('viperflow'),
    async failure(api, params = {}, module = 'vrouterapi') {
      const e = await runtime.call(module, api, params).then(
        (r) => new Error(`${api} succeeded: ${JSON.stringify(r)}`),
        (err: unknown) => err,
      );
      if (!(e instanceof ApiInputError || e instanceof ApiCallError)) throw e;
      return e;
    },
    stop: () => runtime.stop(),
  };
}
