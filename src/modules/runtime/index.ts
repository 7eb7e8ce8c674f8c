/** The module runtime: declarations, lifecycle, API calls, configuration. */
export type { ConfigEntry } from './config-file';
export { formatConfig, parseConfigLine, parseConfigText, parseConfigValue } from './config-file';
export { ApiCallError, ApiInputError, ConfigError, ModuleDependencyError, ModuleStartError } from './errors';
export type { MetricsRegistry } from './metrics-registry';
export { createMetricsRegistry } from './metrics-registry';
export type {
  ApiContext,
  ApiDefinition,
  ApiDescription,
  ModuleContext,
  ModuleDefinition,
  ModuleDescription,
  ModuleInstance,
  ProvidedService,
  ServiceToken,
} from './module';
export { defineApi, defineModule, provide, serviceToken } from './module';
export { redactConfig, redactUrl } from './redact';
export type { RuntimeOptions } from './runtime';
export { dependencyOrder, Runtime } from './runtime';
export type { ResolvedConfig, ServerSettings } from './settings';
export { LOG_LEVELS, resolveConfig, ServerSettingsSchema } from './settings';
