/** A module runtime with store + viperflow for tests, and a handle on its ObjectDb. */
import { Type } from '@sinclair/typebox';
import { ApiCallError, ApiInputError, defineModule, Runtime } from '../../../../src/modules/runtime';
import { ObjectDbService, storeModule } from '../../../../src/modules/store/store-module';
import { viperflowModule } from '../../../../src/modules/viperflow';
import type { ObjectDb } from '../../../../src/objectdb';

export interface ViperflowEnv {
  readonly runtime: Runtime;
  readonly db: ObjectDb;
  call(api: string, params?: Readonly<Record<string, unknown>>): Promise<unknown>;
  /** The error a call fails with (the test fails if it succeeds). */
  failure(api: string, params?: Readonly<Record<string, unknown>>): Promise<ApiInputError | ApiCallError>;
  stop(): Promise<void>;
}

export async function startViperflow(url: string): Promise<ViperflowEnv> {
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
  const runtime = new Runtime({ modules: [storeModule, viperflowModule, probe], config: { store: { url } } });
  await runtime.start();
  const call = (api: string, params: Readonly<Record<string, unknown>> = {}) =>
    runtime.call('viperflow', api, params);
  return {
    runtime,
    db: db!,
    call,
    async failure(api, params = {}) {
      const e = await call(api, params).then(
        (r) => new Error(`${api} succeeded: ${JSON.stringify(r)}`),
        (err: unknown) => err,
      );
      if (!(e instanceof ApiInputError || e instanceof ApiCallError)) throw e;
      return e;
    },
    stop: () => runtime.stop(),
  };
}
