/**
 * The passive end: we listen (`ptcp:6640`, `punix:...`) and ovsdb-server connects to us after
 * `ovs-vsctl set-manager tcp:CONTROLLER:6640`. Each connection gets an OvsdbClient, exactly
 * as if we had opened it.
 */
import type { Scheduler } from '../async';
import { type Endpoint, parseEndpoint, Server } from '../protocol';
import { OvsdbClient, protocolWithKeepalive } from './client';
import type { RpcMessage } from './jsonrpc';

export interface OvsdbListenerOptions {
  readonly scheduler?: Scheduler;
  readonly keepaliveMs?: number;
  /** Called for each switch database that connects. */
  readonly onClient: (client: OvsdbClient) => void;
}

export async function listenOvsdb(
  endpoint: string | Endpoint,
  options: OvsdbListenerOptions,
): Promise<Server<RpcMessage>> {
  const ep = typeof endpoint === 'string' ? parseEndpoint(endpoint, 6640).endpoint : endpoint;
  const clients = new WeakMap<object, OvsdbClient>();
  return Server.listen(protocolWithKeepalive(options.keepaliveMs ?? 5000), ep, {
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
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
