/** A private Redis for one test file. */
import { rmSync } from 'node:fs';
import { instanceDir, killPidFiles, registerCleanup } from './cleanup';
import { withFreePort } from './ports';
import { script } from './run';

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
  const dir = instanceDir('redis');
  const extra = [
    ...(options.appendOnly ? ['--appendonly'] : []),
    ...(options.bind ? ['--bind', options.bind.join(' ')] : []),
  ];
  const port = await withFreePort(async (p) => {
    await script('redis-start', [dir, String(p), ...extra]);
    return p;
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    unregister();
    await script('redis-stop', [dir]);
    rmSync(dir, { recursive: true, force: true });
  };
  const unregister = registerCleanup({
    what: `redis on ${port}`,
    run: stop,
    runSync: () => killPidFiles(dir),
  });
  return {
    host: '127.0.0.1',
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    stop,
    async restart() {
      await script('redis-stop', [dir]);
      await script('redis-start', [dir, String(port), ...extra]);
    },
  };
}
