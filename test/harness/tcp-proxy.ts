/**
 * A TCP relay in the test process between clients and a server on 127.0.0.1, so a test can
 * cut every connection mid-stream (a dropped network connection) while the server runs on, or
 * stall it (a network that silently stops delivering, connections left open).
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
  /** Stops relaying, in both directions and for new connections, until resume(); nothing is lost. */
  stall(): void;
  resume(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const pairs = new Set<readonly [net.Socket, net.Socket]>();
  let stalled = false;
  const relay = ([client, upstream]: readonly [net.Socket, net.Socket]) => {
    client.pipe(upstream);
    upstream.pipe(client);
  };
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
    if (stalled) for (const s of pair) s.pause();
    else relay(pair);
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
  const stall = () => {
    stalled = true;
    for (const [a, b] of pairs) {
      // Unpiped and paused, a socket reads no more: its data waits in the kernel.
      a.unpipe(b);
      b.unpipe(a);
      a.pause();
      b.pause();
    }
  };
  const resume = () => {
    stalled = false;
    for (const pair of pairs) relay(pair);
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
    stall,
    resume,
    close,
  };
}
