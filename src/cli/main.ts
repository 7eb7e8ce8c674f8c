/**
 * The `vlcp-ts` command. Each subcommand lives in its own file under `commands/` and
 * registers itself on the program; this file only assembles them and maps failures to exit
 * codes: 2 for usage and configuration errors, 1 for anything else.
 */
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands';
import { UsageError } from './usage-error';

export function buildProgram(): Command {
  const program = new Command('vlcp-ts')
    .description('SDN controller for Open vSwitch (OpenFlow 1.0/1.3, OVSDB), modeled on VLCP')
    .version(readVersion())
    .exitOverride();
  registerCommands(program);
  for (const c of program.commands) c.exitOverride();
  return program;
}

function readVersion(): string {
  // package.json sits two levels above both src/cli and dist/cli.
  return (require('../../package.json') as { version: string }).version;
}

/** Runs the command line; resolves with the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has printed its message (or the help/version) already.
      return err.exitCode === 0 ? 0 : 2;
    }
    process.stderr.write(`vlcp-ts: ${err instanceof Error ? err.message : String(err)}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
}

if (require.main === module) {
  main(process.argv).then((code) => {
    // The command has finished (`start`: every module stopped, the store closed). A client
    // library may still hold a socket — ZooKeeper's waits for its close-session reply on a
    // connection that stopped answering — and must not keep the process from exiting.
    process.exit(code);
  });
}
