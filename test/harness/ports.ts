/** Free TCP ports on 127.0.0.1 for private daemons. */
import net from 'node:net';

const handedOut = new Set<number>();

/**
 * A port nothing listens on right now. The kernel picks it (port 0); the set keeps one test
 * process from handing the same port out twice. Between processes a clash is possible but
 * rare, and starting a daemon on a taken port fails loudly (the start helpers retry).
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

/** Runs `start(port)` on fresh ports until one works (another process may take a port first). */
export async function withFreePort<T>(start: (port: number) => Promise<T>, attempts = 3): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await start(await freePort());
    } catch (e) {
      last = e;
      if (!/in use|EADDRINUSE|bind/i.test(String(e))) throw e;
    }
  }
  throw last;
}
