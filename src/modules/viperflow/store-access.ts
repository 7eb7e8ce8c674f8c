/**
 * How viperflow's API calls reach ObjectDB: every call is one walk (a batch is one
 * transaction: all or nothing), through a StagedTx; errors come out as ApiInputErrors that
 * name the item and field, or the store's reason.
 */
import { type ObjectDb, TransactionConflictError, UpdaterError, ValueTooLargeError } from '../../objectdb';
import { ApiInputError } from '../runtime';
import { SerialQueue } from './serial-queue';
import { StagedTx } from './staged-tx';

export interface StoreAccess {
  /** A read-write transaction; what `job` edits is written if it returns. */
  write<R>(job: (st: StagedTx) => Promise<R>): Promise<R>;
  /** A consistent read (checked like a transaction, writes nothing). */
  read<R>(job: (st: StagedTx) => Promise<R>): Promise<R>;
}

export function storeAccess(db: () => ObjectDb): StoreAccess {
  const queue = new SerialQueue();
  const run = async <R>(job: (st: StagedTx) => Promise<R>, flush: boolean): Promise<R> => {
    try {
      const { result } = await db().walk(async (tx) => {
        const st = new StagedTx(tx);
        const r = await job(st);
        if (flush) st.flush();
        return r;
      });
      return result;
    } catch (e) {
      throw storeError(e);
    }
  };
  return {
    write: (job) => queue.run(() => run(job, true)),
    read: (job) => run(job, false),
  };
}

function storeError(e: unknown): unknown {
  // The handler's own refusal, decided on current data (ObjectDB retries otherwise).
  if (e instanceof UpdaterError) return e.cause;
  if (e instanceof ValueTooLargeError) {
    return new ApiInputError(`the change does not fit the store: ${e.message}`, 400);
  }
  if (e instanceof TransactionConflictError) {
    return new ApiInputError(
      `other writers kept changing the same objects; nothing was changed, try again (${e.message})`,
      409,
    );
  }
  return e;
}
