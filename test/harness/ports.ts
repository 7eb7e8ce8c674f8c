/** Free TCP ports on 127.0.0.1 for private daemons. */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { HARNESS_ROOT } from './cleanup';
import { processAlive } from './process-alive';

const PORTS_DIR = join(HARNESS_ROOT, 'ports');
const claimed: string[] = [];

function releaseAll(): void {
  for (const marker of claimed.splice(0)) rmSync(marker, { force: true });
}

/**
 * Claims `port` for this process with a marker file created exclusively (O_EXCL), so two
 * jest workers never hand out the same port even if the kernel offers it to both. A
 * marker whose owner process is dead is taken over.
 */
function claim(port: number): boolean {
  mkdirSync(PORTS_DIR, { recursive: true });
  const marker = join(PORTS_DIR, String(port));
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(marker, String(process.pid), { flag: 'wx' });
      if (claimed.length === 0) process.once('exit', releaseAll);
      claimed.push(marker);
      return true;
    } catch {
      let owner = Number.NaN;
      try {
        owner = Number(readFileSync(marker, 'utf8').trim());
      } catch {
        continue; // Removed meanwhile: try again.
      }
      if (owner === process.pid || (Number.isInteger(owner) && owner > 0 && processAlive(owner)))
        return false;
      rmSync(marker, { force: true });
    }
  }
  return false;
}

function kernelPort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
}

/**
 * A port nothing listens on right now and no other live test process has claimed. The
 * kernel picks it (port 0); a marker file claims it across processes. A program outside
 * the harness may still take it before the daemon binds; starting a daemon on a taken port
 * fails loudly and `withFreePort` retries.
 */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 1000; i++) {
    const port = await kernelPort();
    if (claim(port)) return port;
  }
  throw new Error('no free port on 127.0.0.1 after 1000 attempts');
}

/** Runs `start(port)` on fresh ports until one works (another program may take a port first). */
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
