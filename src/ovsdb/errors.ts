/** Errors of the OVSDB layer. */

/** The server answered a request with an error. */
export class OvsdbRequestError extends Error {
  override readonly name = 'OvsdbRequestError';
  constructor(
    readonly method: string,
    readonly error: unknown,
    readonly details?: string,
  ) {
    super(
      `ovsdb ${method} failed: ${typeof error === 'string' ? error : JSON.stringify(error)}${details ? ` (${details})` : ''}`,
    );
  }
}

/** A transaction whose operations the server refused; `index` is the failing operation. */
export class OvsdbTransactionError extends Error {
  override readonly name = 'OvsdbTransactionError';
  constructor(
    readonly index: number,
    readonly error: string,
    readonly details: string | undefined,
    readonly operation: unknown,
  ) {
    super(
      `ovsdb transaction: operation ${index} (${JSON.stringify(operation).slice(0, 120)}) failed: ${error}${details ? `: ${details}` : ''}`,
    );
  }
}
