/**
 * An OVSDB JSON-RPC client over one Connection: request/response correlation, echo answered,
 * notifications (update/update2/update3, locked/stolen) routed to who asked for them. Both
 * ends use it: a connection we opened, or one OVS opened to our passive listener.
 */
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import type { Logger } from 'pino';
import type { Scheduler } from '../async';
import {
  type Connection,
  ConnectionClosedError,
  connect,
  type Endpoint,
  type Protocol,
  parseEndpoint,
} from '../protocol';
import { OvsdbRequestError, OvsdbTransactionError } from './errors';
import type { JsonStreamLimits, JsonValue } from './json-stream';
import { jsonRpcProtocol, type RpcId, type RpcMessage } from './jsonrpc';

export type MonitorHandler = (method: 'update' | 'update2' | 'update3', params: readonly JsonValue[]) => void;
export type LockHandler = (event: 'locked' | 'stolen', lock: string) => void;
/** Told of every echo request the peer sent us (and we answered). */
export type EchoHandler = (params: readonly JsonValue[]) => void;

/** A request on its way: its JSON-RPC id (for `cancel`) and its eventual result. */
export interface PendingRequest {
  readonly id: RpcId;
  readonly result: Promise<JsonValue>;
}

export interface OvsdbClientOptions {
  readonly scheduler?: Scheduler;
  /** Probe with echo after this long idle; close when no answer within as long again. Default 5 s; 0 disables. */
  readonly keepaliveMs?: number;
  /**
   * A message larger than this closes the connection with a clear reason instead of being
   * buffered. Default 64 MiB (a full Open_vSwitch database of 10k ports is a few MB).
   */
  readonly maxMessageBytes?: number;
  /** Where connection events (closed, malformed input) are logged. Default: nowhere. */
  readonly logger?: Logger;
  /** For `ssl:` endpoints: our certificate and key, the CA that signed the server's. */
  readonly tls?: TlsConnectionOptions;
}

interface Pending {
  readonly method: string;
  resolve(v: JsonValue): void;
  reject(e: unknown): void;
}

export class OvsdbClient {
  private nextId = 1;
  private readonly pending = new Map<RpcId, Pending>();
  private readonly monitors = new Map<string, MonitorHandler>();
  private readonly lockHandlers = new Set<LockHandler>();
  private readonly echoHandlers = new Set<EchoHandler>();
  private connectionValue: Connection<RpcMessage> | undefined;

  /** Opens a connection (`unix:PATH`, `tcp:HOST:PORT`, `ssl:...`) and returns a client on it. */
  static async connect(endpoint: string | Endpoint, options: OvsdbClientOptions = {}): Promise<OvsdbClient> {
    const ep = typeof endpoint === 'string' ? parseEndpoint(endpoint, 6640).endpoint : endpoint;
    const client = new OvsdbClient();
    const limits = options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes };
    const conn = await connect(protocolWithKeepalive(options.keepaliveMs ?? 5000, limits), ep, {
      onMessage: (m) => client.receive(m),
      ...(options.scheduler ? { scheduler: options.scheduler } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.tls ? { tls: options.tls } : {}),
    });
    client.attach(conn);
    return client;
  }

  /** Wires the client to an open connection whose `onMessage` calls `receive`. */
  attach(conn: Connection<RpcMessage>): void {
    this.connectionValue = conn;
    conn.closed.then((reason) => {
      for (const p of this.pending.values()) p.reject(new ConnectionClosedError(conn.id, reason));
      this.pending.clear();
    });
  }

  get connection(): Connection<RpcMessage> {
    if (this.connectionValue === undefined) throw new Error('ovsdb client is not attached to a connection');
    return this.connectionValue;
  }

  close(): void {
    this.connectionValue?.close('client closed');
  }

  receive(m: RpcMessage): void {
    switch (m.kind) {
      case 'response': {
        const p = this.pending.get(m.id);
        if (p === undefined) return; // an answer to a keepalive probe, or to a cancelled request
        this.pending.delete(m.id);
        if (m.error !== null) p.reject(new OvsdbRequestError(p.method, m.error));
        else p.resolve(m.result);
        return;
      }
      case 'request':
        if (m.method === 'echo') {
          this.connection.send({ kind: 'response', id: m.id, result: [...m.params], error: null });
          for (const h of this.echoHandlers) h(m.params);
        } else
          this.connection.send({
            kind: 'response',
            id: m.id,
            result: null,
            error: `unknown method ${m.method}`,
          });
        return;
      case 'notification':
        if (m.method === 'update' || m.method === 'update2' || m.method === 'update3') {
          this.monitors.get(monitorKey(m.params[0] ?? null))?.(m.method, m.params);
        } else if ((m.method === 'locked' || m.method === 'stolen') && typeof m.params[0] === 'string') {
          for (const h of this.lockHandlers) h(m.method, m.params[0]);
        }
        return;
    }
  }

  /** Sends a request and resolves with its result; an error reply rejects with OvsdbRequestError. */
  request(method: string, params: readonly unknown[]): Promise<JsonValue> {
    return this.startRequest(method, params).result;
  }

  /** Sends a request and returns its id with the result, so that it can be `cancel`led. */
  startRequest(method: string, params: readonly unknown[]): PendingRequest {
    const id = this.nextId++;
    const result = new Promise<JsonValue>((resolve, reject) => {
      this.pending.set(id, { method, resolve, reject });
      this.connection
        .write({ kind: 'request', method, params: params as JsonValue[], id })
        .catch((e: unknown) => {
          this.pending.delete(id);
          reject(e);
        });
    });
    return { id, result };
  }

  listDbs(): Promise<string[]> {
    return this.request('list_dbs', []) as Promise<string[]>;
  }

  getSchema(db: string): Promise<JsonValue> {
    return this.request('get_schema', [db]);
  }

  /**
   * Runs a transaction. Resolves with the per-operation results; rejects with
   * OvsdbTransactionError naming the first failing operation (the server applied nothing).
   */
  async transact(db: string, operations: readonly unknown[]): Promise<JsonValue[]> {
    return checkTransactResults(operations, await this.request('transact', [db, ...operations]));
  }

  /**
   * Starts a transaction that may be cancelled with `cancel(id)` (one blocked on a `wait`
   * operation, say); the result is checked as `transact` does.
   */
  startTransact(
    db: string,
    operations: readonly unknown[],
  ): PendingRequest & { result: Promise<JsonValue[]> } {
    const { id, result } = this.startRequest('transact', [db, ...operations]);
    return { id, result: result.then((r) => checkTransactResults(operations, r)) };
  }

  /**
   * Asks the server to cancel an outstanding request (one blocked on a `wait`), and rejects
   * that request here with OvsdbRequestError "canceled". RFC 7047 has the server answer
   * "canceled", but ovsdb-server (3.1) drops the request without a reply, so the answer is
   * not waited for; a late one is ignored.
   */
  cancel(id: RpcId): void {
    this.connection.send({ kind: 'notification', method: 'cancel', params: [id] });
    const p = this.pending.get(id);
    if (p === undefined) return;
    this.pending.delete(id);
    p.reject(new OvsdbRequestError(p.method, 'canceled'));
  }

  echo(...params: JsonValue[]): Promise<JsonValue> {
    return this.request('echo', params);
  }

  /**
   * Starts a monitor (`monitor`, `monitor_cond` or `monitor_cond_since`); `handler` gets
   * every update notification for it. Resolves with the initial contents.
   */
  async monitor(
    method: 'monitor' | 'monitor_cond' | 'monitor_cond_since',
    db: string,
    monitorId: JsonValue,
    requests: Record<string, unknown>,
    handler: MonitorHandler,
    lastTxnId?: string,
  ): Promise<JsonValue> {
    const key = monitorKey(monitorId);
    this.monitors.set(key, handler);
    const params: unknown[] = [db, monitorId, requests];
    if (method === 'monitor_cond_since') params.push(lastTxnId ?? '00000000-0000-0000-0000-000000000000');
    try {
      return await this.request(method, params);
    } catch (e) {
      this.monitors.delete(key);
      throw e;
    }
  }

  async monitorCancel(monitorId: JsonValue): Promise<void> {
    await this.request('monitor_cancel', [monitorId]);
    this.monitors.delete(monitorKey(monitorId));
  }

  /** Calls `handler` for each echo the peer sends us (its inactivity probe); we answer it anyway. */
  onEcho(handler: EchoHandler): () => void {
    this.echoHandlers.add(handler);
    return () => this.echoHandlers.delete(handler);
  }

  onLock(handler: LockHandler): () => void {
    this.lockHandlers.add(handler);
    return () => this.lockHandlers.delete(handler);
  }

  /** Resolves with whether the lock was granted at once (else a `locked` notification follows). */
  async lock(id: string): Promise<boolean> {
    return ((await this.request('lock', [id])) as { locked: boolean }).locked;
  }

  async steal(id: string): Promise<boolean> {
    return ((await this.request('steal', [id])) as { locked: boolean }).locked;
  }

  async unlock(id: string): Promise<void> {
    await this.request('unlock', [id]);
  }
}

/** Throws OvsdbTransactionError for the first operation the server refused. */
function checkTransactResults(operations: readonly unknown[], reply: JsonValue): JsonValue[] {
  const results = reply as JsonValue[];
  results.forEach((r, i) => {
    if (r !== null && typeof r === 'object' && !Array.isArray(r) && typeof r.error === 'string') {
      throw new OvsdbTransactionError(
        i,
        r.error,
        typeof r.details === 'string' ? r.details : undefined,
        operations[i] ?? 'commit',
      );
    }
  });
  return results;
}

function monitorKey(id: JsonValue): string {
  return JSON.stringify(id, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** The JSON-RPC protocol with an echo keepalive (RFC 7047 4.1.11). */
export function protocolWithKeepalive(ms: number, limits: JsonStreamLimits = {}): Protocol<RpcMessage> {
  const base = jsonRpcProtocol(limits);
  if (ms <= 0) return base;
  let probe = 0;
  return {
    ...base,
    keepalive: {
      idleMs: ms,
      timeoutMs: ms,
      probe: (c: Connection<RpcMessage>) =>
        void c.send({ kind: 'request', method: 'echo', params: [], id: `keepalive-${probe++}` }),
    },
  };
}
