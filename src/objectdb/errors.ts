/** Errors raised by ObjectDB. Each names the key, limit or backend involved. */

export class ObjectDbError extends Error {}

/** A key that is not a non-empty dotted name of printable characters. */
export class InvalidKeyError extends ObjectDbError {
  override readonly name = 'InvalidKeyError';
  constructor(
    readonly key: unknown,
    readonly reason: string,
  ) {
    super(`invalid ObjectDB key ${JSON.stringify(String(key))}: ${reason}`);
  }
}

/** A value that cannot be stored as JSON without losing or inventing data. */
export class InvalidValueError extends ObjectDbError {
  override readonly name = 'InvalidValueError';
  constructor(
    readonly key: string,
    /** JSON-pointer-like path inside the value, e.g. `/ports/3/mac`. */
    readonly path: string,
    readonly reason: string,
  ) {
    super(`value for key ${key} at ${path || '/'} cannot be stored: ${reason}`);
  }
}

export class ValueTooLargeError extends ObjectDbError {
  override readonly name = 'ValueTooLargeError';
  constructor(
    readonly key: string,
    readonly bytes: number,
    readonly limitBytes: number,
  ) {
    super(`value for key ${key} is ${bytes} bytes, over the ${limitBytes}-byte limit`);
  }
}

/**
 * A transaction's writes, as the backend would send them in one request, exceed what the
 * backend accepts (ZooKeeper refuses requests over its `jute.maxbuffer`, 1 MiB by default,
 * by dropping the connection). Nothing was sent, nothing written.
 */
export class TransactionTooLargeError extends ObjectDbError {
  override readonly name = 'TransactionTooLargeError';
  constructor(
    readonly backend: string,
    readonly bytes: number,
    readonly limitBytes: number,
    /** The largest values written, to show what to shrink. */
    readonly largestKeys: readonly string[],
  ) {
    super(
      `transaction is ${bytes} bytes as one ${backend} request, over its ${limitBytes}-byte limit; nothing written (largest: ${largestKeys.join(', ')})`,
    );
  }
}

/** Other writers kept changing what this transaction read; it gave up after `attempts`. */
export class TransactionConflictError extends ObjectDbError {
  override readonly name = 'TransactionConflictError';
  constructor(
    readonly attempts: number,
    /** Keys whose versions had changed at the last attempt. */
    readonly conflictingKeys: readonly string[],
  ) {
    super(
      `transaction gave up after ${attempts} attempts; keys changed by others: ${conflictingKeys.join(', ') || '(unknown)'}`,
    );
  }
}

/** The updater threw while its reads were still current: nothing was written. */
export class UpdaterError extends ObjectDbError {
  override readonly name = 'UpdaterError';
  constructor(
    override readonly cause: unknown,
    readonly keysRead: readonly string[],
  ) {
    super(
      `transaction updater failed, nothing written: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
}

/** A strong reference points at a key that holds no object. */
export class DanglingReferenceError extends ObjectDbError {
  override readonly name = 'DanglingReferenceError';
  constructor(
    readonly key: string,
    readonly from?: string,
  ) {
    super(`reference to ${key}${from ? ` from ${from}` : ''} points at nothing`);
  }
}

export class InvalidObjectDbUrlError extends ObjectDbError {
  override readonly name = 'InvalidObjectDbUrlError';
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`invalid ObjectDB URL ${JSON.stringify(url)}: ${reason}`);
  }
}

/** Another live process owns the embedded store's directory. */
export class DirectoryLockedError extends ObjectDbError {
  override readonly name = 'DirectoryLockedError';
  constructor(
    readonly dir: string,
    readonly ownerPid: number,
  ) {
    super(`ObjectDB directory ${dir} is locked by live process ${ownerPid}`);
  }
}

/** The on-disk store is damaged beyond a torn last record. */
export class CorruptStoreError extends ObjectDbError {
  override readonly name = 'CorruptStoreError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`ObjectDB file ${file} is corrupt: ${reason}`);
  }
}

/** The backend could not be reached or failed mid-operation; the outcome is stated. */
export class BackendError extends ObjectDbError {
  override readonly name = 'BackendError';
  constructor(
    readonly backend: string,
    readonly operation: string,
    override readonly cause: unknown,
  ) {
    super(`${backend} ${operation} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export class ClosedError extends ObjectDbError {
  override readonly name = 'ClosedError';
  constructor(readonly operation: string) {
    super(`ObjectDB is closed (${operation})`);
  }
}

/** Every attempt to take a consistent copy of the whole store met a commit in between. */
export class StoreChangingError extends ObjectDbError {
  override readonly name = 'StoreChangingError';
  constructor(readonly attempts: number) {
    super(
      `the store changed during each of ${attempts} attempts to copy it whole; stop the writers (controllers) or retry`,
    );
  }
}

/** An import is only into a store that holds nothing. */
export class StoreNotEmptyError extends ObjectDbError {
  override readonly name = 'StoreNotEmptyError';
  constructor(
    readonly count: number,
    readonly sample: readonly string[],
  ) {
    super(
      `the store already holds ${count} key${count === 1 ? '' : 's'} (${sample.join(', ')}${count > sample.length ? ', ...' : ''}); import only into an empty store — nothing was written`,
    );
  }
}

/** An import failed after some of its transactions had committed. */
export class PartialImportError extends ObjectDbError {
  override readonly name = 'PartialImportError';
  constructor(
    readonly written: number,
    readonly total: number,
    override readonly cause: unknown,
  ) {
    super(
      `import failed after ${written} of ${total} keys were written (${cause instanceof Error ? cause.message : String(cause)}); empty the store before importing again`,
    );
  }
}

/** An export file that cannot be imported: what is wrong and where. */
export class ExportFileError extends ObjectDbError {
  override readonly name = 'ExportFileError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field ? `${field}: ` : ''}${reason}`);
  }
}
