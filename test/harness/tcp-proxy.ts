/**
 * A TCP relay in the test process between clients and a server on 127.0.0.1, so a test can
 * cut every connection mid-stream (a dropped network connection) while the server runs on.
 */
import net from 'node:net';
import { registerStop } from './register-stop';

export interface TcpProxy {
  /** Clients connect here. */
  readonly port: number;
  /** Connections relayed right now. */
  readonly connections: number;
  /** Resets every relayed connection (both sides), as a network failure would. Returns how many. */
  dropAll(): number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const pairs = new Set<readonly [net.Socket, net.Socket]>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, targetHost);
    const pair = [client, upstream] as const;
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const s of pair) {
      s.on('error', end);
      s.on('close', end);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  const dropAll = () => {
    const n = pairs.size;
    for (const [a, b] of [...pairs]) {
      a.resetAndDestroy();
      b.resetAndDestroy();
    }
    pairs.clear();
    return n;
  };
  const close = registerStop(
    `tcp proxy on ${port}`,
    async () => {
      dropAll();
      await new Promise<void>((r) => server.close(() => r()));
    },
    dropAll,
  );
  return {
    port,
    get connections() {
      return pairs.size;
    },
    dropAll,
    close,
  };
}
