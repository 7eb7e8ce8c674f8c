/** A private Redis for one test file. */
import { startScriptedDaemon } from './scripted-daemon';

export interface RedisOptions {
  /** Durable: appendonly with fsync on every write, so restart() keeps the data. */
  readonly appendOnly?: boolean;
  /** Listen addresses (default 127.0.0.1). */
  readonly bind?: readonly string[];
}

export interface RedisInstance {
  readonly host: string;
  readonly port: number;
  /** redis://127.0.0.1:PORT */
  readonly url: string;
  readonly dir: string;
  stop(): Promise<void>;
  /** Stops and starts again on the same port and folder. */
  restart(): Promise<void>;
}

export async function startRedis(options: RedisOptions = {}): Promise<RedisInstance> {
  const d = await startScriptedDaemon('redis', 'redis', [
    ...(options.appendOnly ? ['--appendonly'] : []),
    ...(options.bind ? ['--bind', options.bind.join(' ')] : []),
  ]);
  return {
    host: '127.0.0.1',
    port: d.port,
    url: `redis://127.0.0.1:${d.port}`,
    dir: d.dir,
    stop: d.stop,
    restart: d.restart,
  };
}
