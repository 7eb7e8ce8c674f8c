/** A private standalone ZooKeeper for one test file. */
import { startScriptedDaemon } from './scripted-daemon';

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
  const d = await startScriptedDaemon('zookeeper', 'zk');
  return {
    host: '127.0.0.1',
    port: d.port,
    connectString: `127.0.0.1:${d.port}`,
    dir: d.dir,
    stop: d.stop,
    restart: d.restart,
  };
}
