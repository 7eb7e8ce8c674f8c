/**
 * The fast-check property the config-module tests share: random call sequences, many of them
 * invalid; after every call the store's invariants hold, and a refused call (a client error,
 * never a crash) leaves every key it could touch exactly as it was.
 */
import fc from 'fast-check';
import { ApiCallError, ApiInputError, type Runtime } from '../../../src/modules/runtime';

export type ModuleCall = readonly [module: string, api: string, params: Record<string, unknown>];

export interface CallSequences<C> {
  readonly runtime: Runtime;
  readonly sequence: fc.Arbitrary<readonly ModuleCall[]>;
  readonly numRuns: number;
  /** Brings the store to where every sequence starts. */
  reset(): Promise<void>;
  /** Every key the calls can touch. */
  contents(): Promise<C>;
  /** What is wrong with the contents; empty when all is well. */
  invariants(contents: C): string[];
}

export async function assertCallSequences<C>(p: CallSequences<C>): Promise<void> {
  let accepted = 0;
  let refused = 0;
  await fc.assert(
    fc.asyncProperty(p.sequence, async (calls) => {
      await p.reset();
      for (const [module, api, params] of calls) {
        const before = await p.contents();
        const outcome = await p.runtime.call(module, api, params).then(
          () => null,
          (e: unknown) => e,
        );
        const after = await p.contents();
        if (outcome !== null) {
          // A refusal is a clear client error, never a crash, and changes nothing.
          if (!(outcome instanceof ApiInputError || outcome instanceof ApiCallError)) throw outcome;
          expect(after).toEqual(before);
          refused++;
        } else {
          accepted++;
        }
        const broken = p.invariants(after);
        if (broken.length > 0)
          throw new Error(`after ${api} ${JSON.stringify(params)}: ${broken.join('; ')}`);
      }
    }),
    { numRuns: p.numRuns },
  );
  // The generators must exercise both paths, or the property proves little.
  expect(accepted).toBeGreaterThan(p.numRuns);
  expect(refused).toBeGreaterThan(p.numRuns);
}
