/** The list of subcommands; a new command adds one line here. */
import type { Command } from 'commander';
import { registerOfp } from './ofp';
import { registerStart } from './start';
import { registerStore } from './store';

export function registerCommands(program: Command): void {
  registerStart(program);
  registerOfp(program);
  registerStore(program);
}
