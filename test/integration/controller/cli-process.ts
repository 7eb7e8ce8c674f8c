/** Runs the built CLI as an operator would, and reads its JSON log lines. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { untilWithin } from '../../harness/until';

// scripts/test builds before jest; run `npm run build` first when running a file by hand.
export const MAIN = join(__dirname, '..', '..', '..', 'dist', 'cli', 'main.js');
if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (scripts/test does)`);

export interface CliRun {
  readonly child: ChildProcess;
  readonly logs: () => Record<string, unknown>[];
  /** Everything it wrote to stdout so far. */
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exit: Promise<number | null>;
  waitForLog(msg: string, where?: (l: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

/** Spawns `command args` (node MAIN start ..., or a wrapper around it) in `cwd`. */
export function spawnCli(command: string, args: readonly string[], cwd: string): CliRun {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const logs = () =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    child,
    logs,
    stdout: () => out,
    stderr: () => err,
    exit,
    async waitForLog(msg, where = () => true) {
      for (let i = 0; i < 1200; i++) {
        const hit = logs().find((l) => l.msg === msg && where(l));
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no "${msg}" log line; stdout: ${out} stderr: ${err}`);
    },
  };
}

export const startCli = (args: readonly string[], cwd: string): CliRun =>
  spawnCli(process.execPath, [MAIN, 'start', ...args], cwd);

/** Polls for up to a minute: a CLI process has to start first. */
export const until = untilWithin(60_000);
