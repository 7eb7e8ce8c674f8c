/** Connecting to a peer: one attempt, or a client that reconnects with exponential backoff. */
import net from 'node:net';
import tls from 'node:tls';
import { CancelledError, sleep } from '../async';
import { Connection, type ConnectionOptions } from './connection';
import { type Endpoint, formatEndpoint } from './endpoint';
import type { Protocol } from './protocol';

export interface ConnectOptions<In, Out> extends ConnectionOptions<In, Out> {
  /** For `ssl` endpoints: CA, client certificate, servername... */
  readonly tls?: tls.ConnectionOptions;
  /** Gives up on opening the socket after this long. Default 10 s. */
  readonly connectTimeoutMs?: number;
}

/** Opens one connection and resolves once its handshake is done. */
export function connect<In, Out>(
  protocol: Protocol<In, Out>,
  endpoint: Endpoint,
  options: ConnectOptions<In, Out>,
): Promise<Connection<In, Out>> {
  const where = formatEndpoint(endpoint);
  return new Promise((resolve, reject) => {
    let socket: net.Socket;
    const connectEvent = endpoint.kind === 'tcp' && endpoint.tls ? 'secureConnect' : 'connect';
    if (endpoint.kind === 'unix') socket = net.connect({ path: endpoint.path });
    else if (endpoint.tls) socket = tls.connect({ host: endpoint.host, port: endpoint.port, ...options.tls });
    else socket = net.connect({ host: endpoint.host, port: endpoint.port });
    const timeoutMs = options.connectTimeoutMs ?? 10_000;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connecting to ${where}: timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`connecting to ${where}: ${err.message}`));
    });
    // A socket can close without an error before it connects (e.g. refused by TLS); never hang.
    const onEarlyClose = () => {
      clearTimeout(timer);
      reject(new Error(`connecting to ${where}: closed before the connection was established`));
    };
    socket.once('close', onEarlyClose);
    socket.once(connectEvent, () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      socket.off('close', onEarlyClose);
      const conn = new Connection(protocol, socket, where, 'outbound', options);
      conn.ready.then(
        () => resolve(conn),
        (err: unknown) => reject(err),
      );
    });
  });
}

export interface BackoffOptions {
  /** First retry delay. Default 100 ms. */
  readonly initialMs?: number;
  /** Largest delay. Default 30 s. */
  readonly maxMs?: number;
  /** Growth per failed attempt. Default 2. */
  readonly factor?: number;
  /** Random spread as a fraction of the delay, so many clients do not retry in step. Default 0.2. */
  readonly jitter?: number;
}

/** The delay before retry number `attempt` (0-based). */
export function backoffDelay(attempt: number, o: BackoffOptions = {}, random = Math.random): number {
  const base = Math.min(o.maxMs ?? 30_000, (o.initialMs ?? 100) * (o.factor ?? 2) ** attempt);
  const jitter = o.jitter ?? 0.2;
  return Math.max(0, Math.round(base * (1 - jitter + 2 * jitter * random())));
}

export interface ReconnectingClientOptions<In, Out> extends ConnectOptions<In, Out> {
  readonly backoff?: BackoffOptions;
  /** Called with each new connection once it is up (first and every reconnect). */
  readonly onConnection?: (connection: Connection<In, Out>) => void | Promise<void>;
  /** Called after each failed attempt with the error and the delay before the next. */
  readonly onRetry?: (error: unknown, delayMs: number) => void;
}

/** Keeps one connection open to an endpoint, reconnecting with backoff until stopped. */
export class ReconnectingClient<In, Out = In> {
  private current: Connection<In, Out> | undefined;
  private readonly stopper = new AbortController();
  private loop: Promise<void> | undefined;
  private waiters: ((c: Connection<In, Out>) => void)[] = [];

  constructor(
    readonly protocol: Protocol<In, Out>,
    readonly endpoint: Endpoint,
    private readonly options: ReconnectingClientOptions<In, Out>,
  ) {}

  get connection(): Connection<In, Out> | undefined {
    return this.current?.state === 'up' ? this.current : undefined;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** The connection once it is up (now, or after the next successful attempt). */
  connected(signal?: AbortSignal): Promise<Connection<In, Out>> {
    const c = this.connection;
    if (c !== undefined) return Promise.resolve(c);
    return new Promise((resolve, reject) => {
      const onAbort = () =>
        reject(new CancelledError(`connection to ${formatEndpoint(this.endpoint)}`, signal?.reason));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push((conn) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(conn);
      });
    });
  }

  async stop(): Promise<void> {
    this.stopper.abort(new Error('client stopped'));
    this.current?.close('client stopped');
    await this.loop;
  }

  private async run(): Promise<void> {
    const signal = this.stopper.signal;
    let attempt = 0;
    while (!signal.aborted) {
      try {
        const conn = await connect(this.protocol, this.endpoint, this.options);
        if (signal.aborted) {
          conn.close('client stopped');
          break;
        }
        attempt = 0;
        this.current = conn;
        const waiters = this.waiters;
        this.waiters = [];
        for (const w of waiters) w(conn);
        await this.options.onConnection?.(conn);
        await conn.closed;
      } catch (err) {
        if (signal.aborted) break;
        const delay = backoffDelay(attempt++, this.options.backoff);
        this.options.onRetry?.(err, delay);
        try {
          await sleep(delay, signal);
        } catch {
          break;
        }
        continue;
      }
      // Closed after being up: retry soon, but not in a tight loop.
      if (!signal.aborted) {
        try {
          await sleep(backoffDelay(0, this.options.backoff), signal);
        } catch {
          break;
        }
      }
    }
  }
}
