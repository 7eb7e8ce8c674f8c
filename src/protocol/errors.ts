/** Errors of the connection layer; each names the protocol and, where known, the connection. */

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  constructor(
    readonly protocol: string,
    /** What is wrong, without the context. */
    readonly detail: string,
    /** Byte offset from the start of the message being parsed where it went wrong. */
    readonly offset?: number,
    readonly connectionId?: string,
  ) {
    const where = offset !== undefined ? ` (at byte ${offset})` : '';
    super(`${protocol}${connectionId ? ` connection ${connectionId}` : ''}: ${detail}${where}`);
  }

  /** The same error, naming the connection it happened on. */
  on(connectionId: string): ProtocolError {
    return new ProtocolError(this.protocol, this.detail, this.offset, connectionId);
  }
}

export class EndpointError extends Error {
  override readonly name = 'EndpointError';
  constructor(
    readonly endpoint: string,
    message: string,
  ) {
    super(`endpoint "${endpoint}": ${message}`);
  }
}

export class ConnectionClosedError extends Error {
  override readonly name = 'ConnectionClosedError';
  constructor(
    readonly connectionId: string,
    readonly reason: string,
  ) {
    super(`connection ${connectionId} is closed: ${reason}`);
  }
}
