/**
 * Lets an ovs-vswitchd that lives in a network namespace of its own reach a controller
 * listening on tcp:127.0.0.1:PORT of the test process' namespace. Loopback addresses are
 * per namespace but unix socket paths are not: the switch connects to a unix socket in its
 * folder (under OVS_RUNDIR, where ovs-vswitchd allows controller sockets), and this relay,
 * running in the test process, pipes each connection to the TCP port.
 */
import { rmSync } from 'node:fs';
import net from 'node:net';

export interface ControllerRelay {
  /** The unix socket path the switch connects to. */
  readonly path: string;
  close(): Promise<void>;
}

export function startControllerRelay(
  path: string,
  port: number,
  host = '127.0.0.1',
): Promise<ControllerRelay> {
  rmSync(path, { force: true });
  const sockets = new Set<net.Socket>();
  const server = net.createServer((fromSwitch) => {
    const toController = net.connect(port, host);
    for (const s of [fromSwitch, toController]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      // Either side going away ends the pair: the switch then reconnects as it would to a
      // controller that restarted.
      s.on('error', () => {
        fromSwitch.destroy();
        toController.destroy();
      });
    }
    fromSwitch.pipe(toController);
    toController.pipe(fromSwitch);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve({
        path,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => {
              rmSync(path, { force: true });
              done();
            });
          }),
      });
    });
  });
}
