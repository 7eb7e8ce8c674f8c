/**
 * The built controller (`node dist/cli/main.js start`) as a child process for end-to-end
 * tests, configured through its Web API only. It listens on fixed free ports so that a
 * restart (same store, same flags) is the same controller to the switches and to the test.
 */
import { join } from 'node:path';
import { freePort, registerCleanup, untilWithin } from '../../harness';
import { type CliRun, startCli } from '../../integration/controller/cli-process';

export interface CliController {
  /** The current process (replaced by `restart`). */
  run(): CliRun;
  readonly ofPort: number;
  readonly api: string;
  /** Calls `module/api` with a JSON body (POST); throws with the reply on an error status. */
  call<T = unknown>(path: string, params?: Record<string, unknown>): Promise<T>;
  /** Calls `module/api?query` with GET, VLCP's query-string convention. */
  get<T = unknown>(path: string, query?: Record<string, string>): Promise<T>;
  /** SIGTERM, wait for exit code 0, start again with the same flags. */
  restart(): Promise<void>;
  /** SIGTERM and wait for exit code 0 (nothing if already stopped). */
  stop(): Promise<void>;
  /** Starts a stopped controller again with the same flags. */
  start(): Promise<void>;
}

export interface CliControllerOptions {
  /** Default a free port. */
  readonly ofPort?: number;
  /** Default a free port. */
  readonly webPort?: number;
  readonly ovsdb: string;
  /** Default an embedded store in `cwd/store`. */
  readonly store?: string;
  /** Where the process runs (its cwd). */
  readonly cwd: string;
  readonly extra?: readonly string[];
}

/** Polls with a long default bound: a controller process starts and converges slowly. */
export const until = untilWithin(120_000);

export async function startCliController(o: CliControllerOptions): Promise<CliController> {
  const ofPort = o.ofPort ?? (await freePort());
  const webPort = o.webPort ?? (await freePort());
  const args = [
    '--openflow-listen',
    `127.0.0.1:${ofPort}`,
    '--ovsdb',
    o.ovsdb,
    '--webapi-listen',
    `127.0.0.1:${webPort}`,
    '--store',
    o.store ?? `embedded:${join(o.cwd, 'store')}`,
    ...(o.extra ?? []),
  ];
  const api = `http://127.0.0.1:${webPort}`;
  let current: CliRun;
  const kill = () => {
    if (current.child.exitCode === null && current.child.signalCode === null) current.child.kill('SIGKILL');
  };
  registerCleanup({ what: `controller on ${api}`, run: async () => kill(), runSync: kill });
  const start = async () => {
    current = startCli(args, o.cwd);
    await current.waitForLog('started');
  };
  await start();
  const stop = async () => {
    if (current.child.exitCode !== null || current.child.signalCode !== null) return;
    current.child.kill('SIGTERM');
    const code = await current.exit;
    if (code !== 0) throw new Error(`controller exited with ${code} on SIGTERM: ${current.stderr()}`);
  };
  const reply = async <T>(what: string, r: Response): Promise<T> => {
    const text = await r.text();
    if (r.status !== 200) throw new Error(`${what}: HTTP ${r.status}: ${text}`);
    return (JSON.parse(text) as { result: T }).result;
  };
  return {
    run: () => current,
    ofPort,
    api,
    call: async <T>(path: string, params: Record<string, unknown> = {}) =>
      reply<T>(
        path,
        await fetch(`${api}/${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(params),
        }),
      ),
    get: async <T>(path: string, query: Record<string, string> = {}) =>
      reply<T>(path, await fetch(`${api}/${path}?${new URLSearchParams(query).toString()}`)),
    async restart() {
      await stop();
      await start();
    },
    stop,
    async start() {
      if (current.child.exitCode === null && current.child.signalCode === null)
        throw new Error(`controller on ${api} is still running`);
      await start();
    },
  };
}
