/**
 * An IDL that survives lost connections and server restarts: a ReconnectingClient (with
 * backoff) opens each new connection, and the replica resynchronises on it, reporting what
 * changed while it was away.
 */
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import type { Logger } from 'pino';
import type { Scheduler } from '../async';
import { type Endpoint, parseEndpoint, ReconnectingClient } from '../protocol';
import { OvsdbClient, protocolWithKeepalive } from './client';
import { Idl, type TableSelection } from './idl';
import type { RpcMessage } from './jsonrpc';

export interface IdlSessionOptions {
  readonly scheduler?: Scheduler;
  readonly keepaliveMs?: number;
  /** A larger message closes the connection (then reconnect and resync). Default 64 MiB. */
  readonly maxMessageBytes?: number;
  readonly logger?: Logger;
  /** For `ssl:` endpoints: our certificate and key, the CA that signed the server's. */
  readonly tls?: TlsConnectionOptions;
  /** Called after each (re)synchronisation, and with the error when one fails. */
  readonly onSync?: (error?: unknown) => void;
}

export class IdlSession {
  readonly idl: Idl;
  private readonly reconnecting: ReconnectingClient<RpcMessage>;
  private current: OvsdbClient | undefined;

  constructor(
    endpoint: string | Endpoint,
    db: string,
    tables: TableSelection,
    options: IdlSessionOptions = {},
  ) {
    const ep = typeof endpoint === 'string' ? parseEndpoint(endpoint, 6640).endpoint : endpoint;
    // The first client exists only to give the Idl a target; each connection replaces it.
    this.current = new OvsdbClient();
    this.idl = new Idl(this.current, db, tables, options.scheduler);
    const limits = options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes };
    this.reconnecting = new ReconnectingClient(
      protocolWithKeepalive(options.keepaliveMs ?? 5000, limits),
      ep,
      {
        ...(options.scheduler ? { scheduler: options.scheduler } : {}),
        ...(options.logger ? { logger: options.logger } : {}),
        ...(options.tls ? { tls: options.tls } : {}),
        onMessage: (m) => this.current?.receive(m),
        onConnection: async (conn) => {
          const client = new OvsdbClient();
          client.attach(conn);
          this.current = client;
          try {
            await this.idl.resync(client);
            options.onSync?.();
          } catch (e) {
            options.onSync?.(e);
            conn.close(`IDL sync failed: ${e instanceof Error ? e.message : String(e)}`);
          }
        },
      },
    );
  }

  start(): void {
    this.reconnecting.start();
  }

  /** The connection in use, if up (tests drop it to exercise the resync). */
  get client(): OvsdbClient | undefined {
    return this.reconnecting.connection === undefined ? undefined : this.current;
  }

  stop(): Promise<void> {
    return this.reconnecting.stop();
  }
}
