/**
 * A daemon started and stopped by its pair of scripts in `scripts/` (`NAME-start DIR PORT
 * ARGS...`, `NAME-stop DIR`), in its own instance folder, on a free port; registered with
 * the cleanups (at exit: killed by the PIDs in its folder). Redis and ZooKeeper are two.
 */
import { rmSync } from 'node:fs';
import { instanceDir, killPidFiles } from './cleanup';
import { withFreePort } from './ports';
import { registerStop } from './register-stop';
import { script } from './run';

export interface ScriptedDaemon {
  readonly port: number;
  readonly dir: string;
  /** Stops it and removes its folder; a second call does nothing. */
  stop(): Promise<void>;
  /** Stops and starts again on the same port and folder (its data kept). */
  restart(): Promise<void>;
}

/** `scripts/${scripts}-start` and `-stop`; `kind` names its folder and cleanup. */
export async function startScriptedDaemon(
  kind: string,
  scripts: string,
  args: readonly string[] = [],
): Promise<ScriptedDaemon> {
  const dir = instanceDir(scripts);
  const start = (port: number) => script(`${scripts}-start`, [dir, String(port), ...args]);
  const port = await withFreePort(async (p) => {
    await start(p);
    return p;
  });
  const stop = registerStop(
    `${kind} on ${port}`,
    async () => {
      await script(`${scripts}-stop`, [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
    () => killPidFiles(dir),
  );
  return {
    port,
    dir,
    stop,
    async restart() {
      await script(`${scripts}-stop`, [dir]);
      await start(port);
    },
  };
}
