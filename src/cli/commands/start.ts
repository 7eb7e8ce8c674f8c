/**
 * `vlcp-ts start`: loads the configuration (file, then flags, then --set), boots the module
 * runtime, and runs until SIGINT/SIGTERM, then stops the modules in reverse order.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import pino from 'pino';
import { builtinModules } from '../../modules';
import {
  type ConfigEntry,
  ConfigError,
  ModuleStartError,
  parseConfigLine,
  parseConfigText,
  Runtime,
  resolveConfig,
} from '../../modules/runtime';
import { webApiModule } from '../../webapi';
import { UsageError } from '../usage-error';

/** The modules the controller runs: the SDN modules and, above them, the Web API. */
export const controllerModules = [...builtinModules, webApiModule];

export interface StartFlags {
  readonly config?: string;
  readonly webapiListen?: string;
  readonly store?: string;
  readonly logLevel?: string;
  readonly ovsdb: readonly string[];
  readonly openflowListen?: string;
  readonly set: readonly string[];
}

/** Config entries from every source, in the order they override each other. */
export function gatherConfig(flags: StartFlags): ConfigEntry[] {
  const entries: ConfigEntry[] = [];
  if (flags.config !== undefined) {
    let text: string;
    try {
      text = readFileSync(flags.config, 'utf8');
    } catch (e) {
      throw new ConfigError('--config', `cannot read ${flags.config}: ${(e as Error).message}`);
    }
    entries.push(...parseConfigText(text, flags.config));
  }
  if (flags.store !== undefined)
    entries.push({ key: 'module.store.url', value: flags.store, source: '--store' });
  if (flags.webapiListen !== undefined) {
    entries.push({ key: 'module.webapi.listen', value: flags.webapiListen, source: '--webapi-listen' });
  }
  if (flags.openflowListen !== undefined) {
    entries.push({
      key: 'module.openflowmanager.listen',
      value: flags.openflowListen,
      source: '--openflow-listen',
    });
  }
  if (flags.ovsdb.length > 0) {
    entries.push({ key: 'module.ovsdbmanager.ovsdb', value: [...flags.ovsdb], source: '--ovsdb' });
  }
  if (flags.logLevel !== undefined)
    entries.push({ key: 'server.loglevel', value: flags.logLevel, source: '--log-level' });
  for (const s of flags.set) {
    const e = parseConfigLine(s, '--set');
    if (e === undefined) throw new ConfigError(s, 'expected key=value', '--set');
    entries.push(e);
  }
  return entries;
}

export async function runStart(flags: StartFlags): Promise<void> {
  let runtime: Runtime;
  let logger: pino.Logger;
  let sources: ReadonlyMap<string, string> | undefined;
  try {
    const config = resolveConfig(gatherConfig(flags));
    sources = config.sources;
    logger = pino({ level: config.server.loglevel, base: { pid: process.pid } });
    runtime = new Runtime({ modules: controllerModules, config: config.modules, logger });
    logger.info({ modules: controllerModules.map((m) => m.name) }, 'starting');
  } catch (e) {
    if (e instanceof ConfigError) {
      // Module config is checked by the runtime, which does not know where a key came from.
      const source = e.source ?? sources?.get(e.key);
      throw new UsageError(`configuration error: ${source && !e.source ? `${source}: ` : ''}${e.message}`);
    }
    throw e;
  }
  try {
    await runtime.start();
  } catch (e) {
    if (e instanceof ModuleStartError && e.cause instanceof ConfigError) {
      // A module that checks its own config at start (an OVSDB endpoint, a store URL).
      const source = e.cause.source ?? sources?.get(e.cause.key);
      throw new UsageError(`configuration error: ${source ? `${source}: ` : ''}${e.cause.message}`);
    }
    logger.fatal({ err: e instanceof Error ? e.message : String(e) }, 'failed to start');
    throw e;
  }
  logger.info('started');

  await new Promise<void>((resolve) => {
    // Nothing else may hold the event loop open (no listener configured): wait for a signal.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    let stopping = false;
    const onSignal = (sig: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal: sig }, 'second signal: exiting at once');
        process.exit(1);
      }
      stopping = true;
      logger.info({ signal: sig }, 'stopping');
      runtime.stop().then(() => {
        clearInterval(keepAlive);
        logger.info('stopped');
        resolve();
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run the controller')
    .option('-c, --config <file>', 'config file: one key=value per line (module.<name>.<key>, server.<key>)')
    .option(
      '--store <url>',
      'ObjectDB backend: embedded:<dir> (default embedded:./data), redis://..., zookeeper://...',
    )
    .option('--webapi-listen <host:port>', 'Web API address (default 127.0.0.1:8081)')
    .option(
      '--openflow-listen <address>',
      'where switches connect: HOST:PORT or ptcp:PORT[:ADDR] (default 0.0.0.0:6653)',
    )
    .option(
      '--ovsdb <endpoint>',
      'OVSDB to learn ports from: unix:PATH, tcp:HOST:PORT, or ptcp:PORT[:ADDR] to accept ovs-vsctl set-manager (repeatable; default unix:/var/run/openvswitch/db.sock)',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option('--log-level <level>', 'fatal, error, warn, info (default), debug, trace or silent')
    .option(
      '--set <key=value>',
      'set one config key, overriding the file (repeatable)',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .action(async (opts: StartFlags) => runStart(opts));
}
