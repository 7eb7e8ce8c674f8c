/** The list of subcommands; a new command adds one line here. */
import type { Command } from 'commander';

export function registerCommands(_program: Command): void {}
