/**
 * The module runtime: orders modules by their dependencies, validates their config, starts
 * them in order and stops them in reverse, and routes API calls with validated parameters.
 */
import type { TObject } from '@sinclair/typebox';
import pino, { type Logger } from 'pino';
import { Scheduler } from '../../async';
import { ApiCallError, ConfigError, ModuleDependencyError, ModuleStartError } from './errors';
import { createMetricsRegistry, type MetricsRegistry } from './metrics-registry';
import type {
  ApiDefinition,
  ModuleDefinition,
  ModuleDescription,
  ModuleInstance,
  ServiceToken,
} from './module';
import { validate } from './schema-validator';

export interface RuntimeOptions {
  readonly modules: readonly ModuleDefinition[];
  /** Per module: its config values as given (defaults fill the rest). */
  readonly config?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly scheduler?: Scheduler;
  readonly logger?: Logger;
  /** Where modules register metrics; a fresh registry by default. */
  readonly metrics?: MetricsRegistry;
}

interface Loaded {
  readonly definition: ModuleDefinition;
  readonly config: Record<string, unknown>;
  readonly instance: ModuleInstance;
  readonly apis: ReadonlyMap<string, ApiDefinition>;
  started: boolean;
}

/** Modules sorted so each comes after its dependencies; throws on a missing one or a cycle. */
export function dependencyOrder(modules: readonly ModuleDefinition[]): ModuleDefinition[] {
  const byName = new Map<string, ModuleDefinition>();
  for (const m of modules) {
    if (byName.has(m.name)) throw new ModuleDependencyError(`module ${m.name} is declared twice`);
    byName.set(m.name, m);
  }
  const order: ModuleDefinition[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (m: ModuleDefinition, path: readonly string[]) => {
    const s = state.get(m.name);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...path.slice(path.indexOf(m.name)), m.name];
      throw new ModuleDependencyError(`modules depend on each other in a cycle: ${cycle.join(' -> ')}`);
    }
    state.set(m.name, 'visiting');
    for (const d of m.depends) {
      const dep = byName.get(d);
      if (dep === undefined)
        throw new ModuleDependencyError(`module ${m.name} depends on ${d}, which is not loaded`);
      visit(dep, [...path, m.name]);
    }
    state.set(m.name, 'done');
    order.push(m);
  };
  for (const m of modules) visit(m, []);
  return order;
}

export class Runtime {
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  private readonly order: readonly ModuleDefinition[];
  private readonly loaded = new Map<string, Loaded>();
  private readonly stopper = new AbortController();
  private readonly configs = new Map<string, Record<string, unknown>>();
  private readonly services = new Map<string, { readonly module: string; readonly value: unknown }>();

  constructor(options: RuntimeOptions) {
    this.scheduler = options.scheduler ?? new Scheduler();
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.metrics = options.metrics ?? createMetricsRegistry();
    this.order = dependencyOrder(options.modules);
    const given = options.config ?? {};
    for (const name of Object.keys(given)) {
      if (!this.order.some((m) => m.name === name)) {
        throw new ConfigError(`module.${name}`, `no module named ${name} is loaded`);
      }
    }
    // Validate every module's config before starting any, so bad config starts nothing.
    for (const m of this.order) this.configs.set(m.name, checkedConfig(m, given[m.name] ?? {}));
  }

  /** Starts every module in dependency order; on a failure stops those started, then throws. */
  async start(): Promise<void> {
    for (const m of this.order) {
      const config = this.configs.get(m.name)!;
      const logger = this.logger.child({ module: m.name });
      try {
        const instance = m.create({
          name: m.name,
          config,
          scheduler: this.scheduler,
          logger,
          metrics: this.metrics,
          call: (module, api, params) => this.call(module, api, params),
          modules: () => this.describe(),
          service: <T>(token: ServiceToken<T>): T => {
            const s = this.services.get(token.name);
            if (s === undefined) {
              throw new ModuleDependencyError(
                `module ${m.name} uses service ${token.name}, which no started module provides`,
              );
            }
            return s.value as T;
          },
        });
        const apis = new Map((instance.apis ?? []).map((a) => [a.name, a]));
        const entry: Loaded = { definition: m, config, instance, apis, started: false };
        this.loaded.set(m.name, entry);
        await instance.start?.(this.stopper.signal);
        entry.started = true;
        for (const p of instance.services?.() ?? []) {
          const other = this.services.get(p.token.name);
          if (other !== undefined) {
            throw new ModuleDependencyError(
              `service ${p.token.name} is provided by both ${other.module} and ${m.name}`,
            );
          }
          this.services.set(p.token.name, { module: m.name, value: p.value });
        }
        logger.debug('module started');
      } catch (err) {
        this.loaded.delete(m.name);
        await this.stop();
        throw new ModuleStartError(m.name, err);
      }
    }
  }

  /** Stops started modules in reverse dependency order; errors are logged, not thrown. */
  async stop(): Promise<void> {
    this.stopper.abort(new Error('runtime stopping'));
    for (const m of [...this.order].reverse()) {
      const entry = this.loaded.get(m.name);
      if (entry === undefined) continue;
      this.loaded.delete(m.name);
      for (const [name, s] of this.services) if (s.module === m.name) this.services.delete(name);
      if (!entry.started) continue;
      try {
        await entry.instance.stop?.();
      } catch (err) {
        this.logger.error({ module: m.name, err }, 'module failed to stop cleanly');
      }
    }
  }

  /** Calls `module/api` with `params` validated against its schema. */
  async call(module: string, api: string, params: Readonly<Record<string, unknown>>): Promise<unknown> {
    const entry = this.loaded.get(module);
    if (entry === undefined)
      throw new ApiCallError(module, api, 'unknown-module', `no module named ${module}`);
    const def = entry.apis.get(api);
    if (def === undefined) {
      const known = [...entry.apis.keys()].join(', ') || 'none';
      throw new ApiCallError(
        module,
        api,
        'unknown-api',
        `module ${module} has no API ${api} (it has: ${known})`,
      );
    }
    const copy: Record<string, unknown> = { ...params };
    const finding = validate(def.params, copy);
    if (finding !== undefined) {
      const field = finding.field || '(parameters)';
      throw new ApiCallError(
        module,
        api,
        'bad-parameter',
        `parameter ${field} ${finding.message}`,
        finding.field,
      );
    }
    return def.handler(copy as never, { signal: this.stopper.signal });
  }

  /** Every loaded module with its config and APIs (for the Web API and `listmodules`). */
  describe(): ModuleDescription[] {
    return this.order.map((m) => {
      const entry = this.loaded.get(m.name);
      return {
        name: m.name,
        description: m.description,
        depends: m.depends,
        config: this.configs.get(m.name)!,
        configSchema: m.config,
        apis: [...(entry?.apis.values() ?? [])].map((a) => ({
          name: a.name,
          description: a.description,
          params: a.params,
        })),
        state: entry?.started ? 'started' : 'stopped',
      };
    });
  }
}

function checkedConfig(
  m: ModuleDefinition,
  given: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const config: Record<string, unknown> = structuredClone(given) as Record<string, unknown>;
  const schema: TObject = m.config;
  const finding = validate(schema, config);
  if (finding !== undefined) {
    const key = `module.${m.name}${finding.field ? `.${finding.field}` : ''}`;
    throw new ConfigError(
      key,
      finding.message === 'is not a known parameter' ? 'is not a known key' : finding.message,
    );
  }
  return config;
}
