/**
 * The passive end: we listen (`ptcp:6640`, `punix:...`) and ovsdb-server connects to us after
 * `ovs-vsctl set-manager tcp:CONTROLLER:6640`. Each connection gets an OvsdbClient, exactly
 * as if we had opened it.
 */
import type { TlsOptions } from 'node:tls';
import type { Logger } from 'pino';
import type { Scheduler } from '../async';
import { type Endpoint, parseEndpoint, Server } from '../protocol';
import { OvsdbClient, protocolWithKeepalive } from './client';
import type { RpcMessage } from './jsonrpc';

export interface OvsdbListenerOptions {
  readonly scheduler?: Scheduler;
  readonly keepaliveMs?: number;
  /** A larger message closes that connection only (see OvsdbClientOptions). Default 64 MiB. */
  readonly maxMessageBytes?: number;
  readonly logger?: Logger;
  /** For `pssl:` endpoints: our certificate and key, and the CA (with requestCert) to check the switch's. */
  readonly tls?: TlsOptions;
  /** Called for each switch database that connects. */
  readonly onClient: (client: OvsdbClient) => void;
}

export async function listenOvsdb(
  endpoint: string | Endpoint,
  options: OvsdbListenerOptions,
): Promise<Server<RpcMessage>> {
  const ep = typeof endpoint === 'string' ? parseEndpoint(endpoint, 6640).endpoint : endpoint;
  const clients = new WeakMap<object, OvsdbClient>();
  const limits = options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes };
  return Server.listen(protocolWithKeepalive(options.keepaliveMs ?? 5000, limits), ep, {
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.tls ? { tls: options.tls } : {}),
    onMessage: (m, conn) => clients.get(conn)?.receive(m),
    onConnection: (conn) => {
      const client = new OvsdbClient();
      client.attach(conn);
      clients.set(conn, client);
      conn.ready.then(
        () => options.onClient(client),
        () => undefined,
      );
    },
  });
}
