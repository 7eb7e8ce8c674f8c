/**
 * What a module declares: name, dependencies, a config schema with defaults, lifecycle and
 * APIs with parameter schemas. Schemas are TypeBox, so each gives both the TypeScript type
 * and the JSON Schema that validation, the Web API and OpenAPI use.
 */
import type { Static, TObject, TSchema } from '@sinclair/typebox';
import type { Logger } from 'pino';
import type { Scheduler } from '../../async';
import type { MetricsRegistry } from './metrics-registry';

export interface ApiContext {
  /** Aborted when the runtime stops. */
  readonly signal: AbortSignal;
}

export interface ApiDefinition<P extends TObject = TObject, R = unknown> {
  readonly name: string;
  readonly description: string;
  /**
   * The parameters. `additionalProperties: true` on the schema lets extra attributes
   * through (VLCP's `**kwargs`: stored on the object as given).
   */
  readonly params: P;
  /** Method syntax on purpose: a list of APIs with different parameter types type-checks. */
  handler(params: Static<P>, context: ApiContext): Promise<R> | R;
}

/** A typed handle for something one module provides to others (its ObjectDb, its switch table). */
export interface ServiceToken<T> {
  readonly name: string;
  /** Phantom: carries T. */
  readonly type?: T;
}

export function serviceToken<T>(name: string): ServiceToken<T> {
  return { name };
}

export interface ProvidedService {
  readonly token: ServiceToken<unknown>;
  readonly value: unknown;
}

/** Pairs a token with its value, type-checked. */
export function provide<T>(token: ServiceToken<T>, value: T): ProvidedService {
  return { token, value };
}

export interface ModuleContext<C> {
  readonly name: string;
  /** The validated config, with defaults filled in. */
  readonly config: C;
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  /**
   * Where the module registers its Prometheus metrics (`registers: [ctx.metrics]`); the Web
   * API serves it at /metrics. Metric names start with `vlcp_<module>_`.
   */
  readonly metrics: MetricsRegistry;
  /** Calls another module's API (validated like any call). */
  call(module: string, api: string, params: Readonly<Record<string, unknown>>): Promise<unknown>;
  /** The loaded modules, their config and APIs. */
  modules(): readonly ModuleDescription[];
  /** A service a started module provides (declare that module in `depends`). */
  service<T>(token: ServiceToken<T>): T;
}

export interface ApiDescription {
  readonly name: string;
  readonly description: string;
  readonly params: TSchema;
}

export interface ModuleDescription {
  readonly name: string;
  readonly description: string;
  readonly depends: readonly string[];
  readonly config: Readonly<Record<string, unknown>>;
  readonly configSchema: TSchema;
  readonly apis: readonly ApiDescription[];
  readonly state: 'stopped' | 'started';
}

export interface ModuleInstance {
  /** Runs in dependency order; a throw stops the modules already started. */
  start?(signal: AbortSignal): Promise<void> | void;
  /** Runs in reverse dependency order. */
  stop?(): Promise<void> | void;
  readonly apis?: readonly ApiDefinition[];
  /** Services other modules may use once this one has started (read after start()). */
  services?(): readonly ProvidedService[];
}

export interface ModuleDefinition<C extends TObject = TObject> {
  readonly name: string;
  readonly description: string;
  readonly depends: readonly string[];
  /** Config keys `module.<name>.<key>`; every property should carry a default. */
  readonly config: C;
  create(context: ModuleContext<Static<C>>): ModuleInstance;
}

/** Declares a module; the identity function exists for type inference. */
export function defineModule<C extends TObject>(definition: ModuleDefinition<C>): ModuleDefinition<C> {
  return definition;
}

/** Declares an API; the identity function exists for type inference. */
export function defineApi<P extends TObject, R>(definition: ApiDefinition<P, R>): ApiDefinition<P, R> {
  return definition;
}
