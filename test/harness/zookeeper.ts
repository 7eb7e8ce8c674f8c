/** A private standalone ZooKeeper for one test file. */
import { rmSync } from 'node:fs';
import { instanceDir, killPidFiles, registerCleanup } from './cleanup';
import { withFreePort } from './ports';
import { script } from './run';

export interface ZookeeperInstance {
  readonly host: string;
  readonly port: number;
  /** 127.0.0.1:PORT, as node-zookeeper-client takes it. */
  readonly connectString: string;
  readonly dir: string;
  stop(): Promise<void>;
  /** Stops and starts again on the same port, keeping its data. */
  restart(): Promise<void>;
}

export async function startZookeeper(): Promise<ZookeeperInstance> {
  const dir = instanceDir('zk');
  const port = await withFreePort(async (p) => {
    await script('zk-start', [dir, String(p)]);
    return p;
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    unregister();
    await script('zk-stop', [dir]);
    rmSync(dir, { recursive: true, force: true });
  };
  const unregister = registerCleanup({
    what: `zookeeper on ${port}`,
    run: stop,
    runSync: () => killPidFiles(dir),
  });
  return {
    host: '127.0.0.1',
    port,
    connectString: `127.0.0.1:${port}`,
    dir,
    stop,
    async restart() {
      await script('zk-stop', [dir]);
      await script('zk-start', [dir, String(port)]);
    },
  };
}
