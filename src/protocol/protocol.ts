/**
 * What a wire protocol plugs into the connection framework: how to cut a byte stream into
 * messages, how to write a message, and optional keepalive and handshake hooks.
 */
import type { Connection } from './connection';

/**
 * An incremental parser: fed chunks as they arrive (a chunk may hold part of a message or
 * many), it calls `emit` for each complete message. Malformed input throws ProtocolError.
 */
export interface StreamParser<In> {
  feed(chunk: Buffer, emit: (message: In) => void): void;
  /** Bytes held back waiting for the rest of a message. */
  readonly pending: number;
}

export interface Keepalive<In, Out> {
  /** Probe the peer after this long without receiving anything. */
  readonly idleMs: number;
  /** Close the connection when nothing arrives this long after a probe. */
  readonly timeoutMs: number;
  /** Send a probe (an echo request); any received data counts as an answer. */
  probe(connection: Connection<In, Out>): void;
}

export interface Protocol<In, Out = In> {
  /** Names the protocol in logs and errors: `openflow`, `ovsdb`, `resp`. */
  readonly name: string;
  createParser(): StreamParser<In>;
  serialize(message: Out): Buffer;
  readonly keepalive?: Keepalive<In, Out>;
  /**
   * Runs once when the connection opens, before it is reported up; it may exchange
   * messages (e.g. OpenFlow hello). Messages received meanwhile go to `onMessage` as usual.
   */
  handshake?(connection: Connection<In, Out>, signal: AbortSignal): Promise<void>;
}
