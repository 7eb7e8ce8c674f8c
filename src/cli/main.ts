/**
 * The `vlcp-ts` command. Each subcommand lives in its own file under `commands/` and
 * registers itself on the program; this file only assembles them.
 */
import { Command } from 'commander';
import { registerCommands } from './commands';

export function buildProgram(): Command {
  const program = new Command('vlcp-ts')
    .description('SDN controller for Open vSwitch (OpenFlow 1.0/1.3, OVSDB), modeled on VLCP')
    .version(readVersion());
  registerCommands(program);
  return program;
}

function readVersion(): string {
  // package.json sits two levels above both src/cli and dist/cli.
  return (require('../../package.json') as { version: string }).version;
}

if (require.main === module) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      process.stderr.write(`vlcp-ts: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    });
}
