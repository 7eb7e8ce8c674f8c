/** Running ovs-ofctl (and other OVS tools) from the oracle tests, collecting what they print. */
import { spawn } from 'node:child_process';

export interface RunResult {
  readonly code: number | null;
  /** stdout and stderr, interleaved as they came. */
  readonly output: string;
}

/** Runs a command to its end; one that hangs is killed after `timeoutMs` (its code is then null). */
export function run(cmd: string, args: readonly string[], timeoutMs = 20_000): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args);
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** `ovs-ofctl -O VERSION ARGS` where the word SWITCH in ARGS stands for tcp:127.0.0.1:PORT. */
export function ofctlAgainst(
  version: 'OpenFlow10' | 'OpenFlow13',
  port: number,
  args: readonly string[],
): Promise<RunResult> {
  return run('ovs-ofctl', [
    '-O',
    version,
    ...args.map((a) => (a === 'SWITCH' ? `tcp:127.0.0.1:${port}` : a)),
  ]);
}
