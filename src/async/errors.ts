/** Errors raised by the event core. Each carries what was being waited for. */

export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(
    /** What was being waited for, e.g. `barrier reply from dpid 0x1`. */
    readonly what: string,
    readonly timeoutMs: number,
  ) {
    super(`timed out after ${timeoutMs} ms waiting for ${what}`);
  }
}

export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(
    readonly what: string,
    /** The AbortSignal's reason, when there was one. */
    readonly reason?: unknown,
  ) {
    super(`cancelled while waiting for ${what}${reasonText(reason)}`);
  }
}

function reasonText(reason: unknown): string {
  if (reason === undefined) return '';
  if (reason instanceof Error) return `: ${reason.message}`;
  return `: ${String(reason)}`;
}

/** Turns an AbortSignal's state into the error a cancelled wait rejects with. */
export function cancelledBy(signal: AbortSignal, what: string): CancelledError {
  return new CancelledError(what, signal.reason);
}
