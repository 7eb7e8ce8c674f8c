/** Errors of the module runtime; each names the module, API, parameter or config key at fault. */

/** A bad API call: unknown API, or a parameter missing, unknown or of the wrong type. 4xx in the Web API. */
export class ApiCallError extends Error {
  override readonly name = 'ApiCallError';
  constructor(
    readonly module: string,
    readonly api: string,
    readonly reason: 'unknown-module' | 'unknown-api' | 'bad-parameter',
    message: string,
    /** The parameter at fault, for bad-parameter. */
    readonly parameter?: string,
  ) {
    super(`${module}/${api}: ${message}`);
  }
}

/** Modules that cannot be started together: a missing dependency or a cycle. */
export class ModuleDependencyError extends Error {
  override readonly name = 'ModuleDependencyError';
}

/** A module failed to start; `cause` says why. */
export class ModuleStartError extends Error {
  override readonly name = 'ModuleStartError';
  constructor(
    readonly module: string,
    cause: unknown,
  ) {
    super(`module ${module} failed to start: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
  }
}

/** A configuration key that is unknown, malformed or of the wrong type. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly key: string,
    readonly detail: string,
    /** Where the key was set: `FILE:LINE`, `--set`, or a flag name. */
    readonly source?: string,
  ) {
    super(`${source ? `${source}: ` : ''}${key}: ${detail}`);
  }
}

/**
 * Raised by an API handler for a request that cannot be done as asked (a conflict, a
 * missing object, a value out of range): a 4xx in the Web API, with this message.
 */
export class ApiInputError extends Error {
  override readonly name = 'ApiInputError';
  constructor(
    message: string,
    /** HTTP status: 400 bad request (default), 404 not found, 409 conflict. */
    readonly status: 400 | 404 | 409 = 400,
    readonly parameter?: string,
  ) {
    super(message);
  }
}
