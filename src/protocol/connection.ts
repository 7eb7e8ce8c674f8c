/**
 * One connection running a Protocol over a socket (TCP, TLS or unix): incremental parsing,
 * back-pressured writes, keepalive, handshake, and state events.
 */
import type { Socket } from 'node:net';
import pino, { type Logger } from 'pino';
import type { Scheduler } from '../async';
import { ConnectionClosedError, ProtocolError } from './errors';
import { type ConnectionId, ConnectionStateEvent } from './events';
import type { Protocol, StreamParser } from './protocol';

export interface ConnectionOptions<In, Out> {
  /** Receives every parsed message. Throwing closes the connection. */
  readonly onMessage: (message: In, connection: Connection<In, Out>) => void;
  /** Where state events go; none are published without one. */
  readonly scheduler?: Scheduler;
  readonly logger?: Logger;
  /** `write()` waits for the socket to drain once this many bytes are buffered. Default 1 MiB. */
  readonly highWaterMark?: number;
  /** Past this many buffered bytes the peer is too slow: the connection is dropped. Default 16 MiB. */
  readonly maxBufferedBytes?: number;
  /** Gives up on a handshake after this long. Default 10 s. */
  readonly handshakeTimeoutMs?: number;
}

export type ConnectionState = 'handshaking' | 'up' | 'closed';

let nextId = 1;
const silent = pino({ level: 'silent' });

export class Connection<In, Out = In> {
  readonly id: ConnectionId;
  private stateValue: ConnectionState = 'handshaking';
  private readonly parser: StreamParser<In>;
  private readonly logger: Logger;
  private readonly highWaterMark: number;
  private readonly maxBuffered: number;
  private lastReceived = Date.now();
  private probedAt = 0;
  private keepaliveTimer: NodeJS.Timeout | undefined;
  private closeReason: string | undefined;
  private readonly closedPromise: Promise<string>;
  private resolveClosed!: (reason: string) => void;
  private readonly handshakeAbort = new AbortController();
  /** Writers waiting for the socket to drain; one 'drain' listener serves them all. */
  private drainWaiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  /** Resolves when the handshake is done and the connection is up; rejects if it closes first. */
  readonly ready: Promise<void>;

  constructor(
    readonly protocol: Protocol<In, Out>,
    private readonly socket: Socket,
    /** `tcp:HOST:PORT` or `unix:PATH` of the peer. */
    readonly remote: string,
    readonly direction: 'inbound' | 'outbound',
    private readonly options: ConnectionOptions<In, Out>,
  ) {
    this.id = `${protocol.name}-${nextId++}` as ConnectionId;
    this.parser = protocol.createParser();
    this.logger = (options.logger ?? silent).child({ conn: this.id, remote });
    // Never below the socket's own mark, or 'drain' (which fires only after write() returned false) could never come.
    this.highWaterMark = Math.max(options.highWaterMark ?? 1 << 20, socket.writableHighWaterMark);
    this.maxBuffered = options.maxBufferedBytes ?? 16 << 20;
    this.closedPromise = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
    socket.setNoDelay?.(true);
    socket.on('data', this.onData);
    socket.on('error', (err) => this.close(`socket error: ${err.message}`));
    socket.on('close', () => this.close('closed by peer'));
    socket.on('drain', () => {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const w of waiters) w.resolve();
    });
    this.ready = this.start();
    // A failed handshake is reported through `closed`; nobody need await `ready`.
    this.ready.catch(() => undefined);
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  /** Resolves with the reason once the connection is closed. */
  get closed(): Promise<string> {
    return this.closedPromise;
  }

  /** Bytes waiting in the socket's write buffer. */
  get bufferedBytes(): number {
    return this.socket.writableLength;
  }

  private async start(): Promise<void> {
    const { handshake } = this.protocol;
    if (handshake !== undefined) {
      const timeoutMs = this.options.handshakeTimeoutMs ?? 10_000;
      const timer = setTimeout(() => this.close(`handshake timed out after ${timeoutMs} ms`), timeoutMs);
      try {
        await handshake.call(this.protocol, this, this.handshakeAbort.signal);
      } catch (err) {
        this.close(`handshake failed: ${err instanceof Error ? err.message : String(err)}`);
        throw err;
      } finally {
        clearTimeout(timer);
      }
    }
    if (this.stateValue === 'closed') throw new ConnectionClosedError(this.id, this.closeReason ?? 'closed');
    this.stateValue = 'up';
    this.logger.debug('connection up');
    this.options.scheduler?.emit(
      ConnectionStateEvent.create({
        protocol: this.protocol.name,
        connectionId: this.id,
        state: 'up',
        remote: this.remote,
      }),
    );
    this.armKeepalive();
  }

  private readonly emitMessage = (message: In): void => {
    this.options.onMessage(message, this);
  };

  private readonly onData = (chunk: Buffer): void => {
    if (this.stateValue === 'closed') return;
    this.lastReceived = Date.now();
    this.probedAt = 0;
    try {
      this.parser.feed(chunk, this.emitMessage);
    } catch (err) {
      if (err instanceof ProtocolError) {
        this.logger.warn({ err: err.message }, 'malformed input; closing connection');
        this.close(`malformed input: ${err.on(this.id).message}`);
      } else {
        this.logger.error({ err }, 'message handler failed; closing connection');
        this.close(`message handler failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  };

  /**
   * Writes a message. Resolves at once while the write buffer is below the high-water mark,
   * otherwise when it drains; rejects if the connection closes first. A peer that lets the
   * buffer pass `maxBufferedBytes` is dropped.
   */
  write(message: Out): Promise<void> {
    if (!this.send(message)) {
      if (this.stateValue === 'closed') {
        return Promise.reject(new ConnectionClosedError(this.id, this.closeReason ?? 'closed'));
      }
      return new Promise((resolve, reject) => this.drainWaiters.push({ resolve, reject }));
    }
    return Promise.resolve();
  }

  /**
   * Writes without waiting. Returns false when the message could not be written (closed) or
   * the write buffer is above the high-water mark (the caller should wait for `drain()`).
   */
  send(message: Out): boolean {
    if (this.stateValue === 'closed') return false;
    this.socket.write(this.protocol.serialize(message));
    const buffered = this.socket.writableLength;
    if (buffered > this.maxBuffered) {
      this.close(`peer too slow: ${buffered} bytes buffered (limit ${this.maxBuffered})`);
      return false;
    }
    return buffered < this.highWaterMark;
  }

  /** Closes the connection (once); later calls are ignored. */
  close(reason = 'closed locally'): void {
    if (this.stateValue === 'closed') return;
    const wasUp = this.stateValue === 'up';
    this.stateValue = 'closed';
    this.closeReason = reason;
    if (this.keepaliveTimer !== undefined) clearInterval(this.keepaliveTimer);
    this.handshakeAbort.abort(new ConnectionClosedError(this.id, reason));
    this.socket.destroy();
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w.reject(new ConnectionClosedError(this.id, reason));
    this.logger.info({ reason }, 'connection closed');
    if (wasUp) {
      this.options.scheduler?.emit(
        ConnectionStateEvent.create({
          protocol: this.protocol.name,
          connectionId: this.id,
          state: 'down',
          remote: this.remote,
          reason,
        }),
      );
    }
    this.resolveClosed(reason);
  }

  private armKeepalive(): void {
    const ka = this.protocol.keepalive;
    if (ka === undefined) return;
    const tick = Math.max(10, Math.min(ka.idleMs, ka.timeoutMs) / 2);
    this.keepaliveTimer = setInterval(() => {
      const now = Date.now();
      if (this.probedAt !== 0 && now - this.probedAt >= ka.timeoutMs) {
        this.close(`keepalive timeout: nothing received for ${now - this.lastReceived} ms`);
      } else if (this.probedAt === 0 && now - this.lastReceived >= ka.idleMs) {
        this.probedAt = now;
        ka.probe(this);
      }
    }, tick);
    this.keepaliveTimer.unref();
  }
}
