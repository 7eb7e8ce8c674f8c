/** Running commands from tests: output as a string, failures as errors that show stderr. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(
    readonly command: string,
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(`${command} failed (exit ${code}): ${stderr.trim()}`);
  }
}

export function run(
  file: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { env: options.env ?? process.env, timeout: options.timeoutMs ?? 60_000, maxBuffer: 256 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          const code = typeof err.code === 'number' ? err.code : null;
          reject(new CommandError([file, ...args].join(' '), code, stderr || err.message));
        } else resolve(stdout);
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** The project's scripts/ folder. */
export const SCRIPTS = join(__dirname, '..', '..', 'scripts');

export function script(name: string, args: readonly string[]): Promise<string> {
  return run(join(SCRIPTS, name), args, { timeoutMs: 120_000 });
}
