/**
 * Prometheus metrics of the Web API and the event core, served at /metrics. They go into
 * the registry the module runtime hands every module (`ctx.metrics`), so /metrics shows the
 * modules' own metrics (switches, flow-mods, FlowSync, store retries) beside these.
 */
import { Counter, collectDefaultMetrics, Gauge, type Metric, Registry } from 'prom-client';

export interface WebApiMetrics {
  readonly registry: Registry;
  readonly apiCalls: Counter<'module' | 'api'>;
  readonly apiErrors: Counter<'module' | 'api' | 'kind'>;
}

/** The metric already in the registry (a second server on the same runtime), or a new one. */
function once<M extends Metric>(registry: Registry, name: string, make: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? make();
}

export function createMetrics(queueDepth?: () => number, registry: Registry = new Registry()): WebApiMetrics {
  if (registry.getSingleMetric('vlcp_process_cpu_seconds_total') === undefined)
    collectDefaultMetrics({ register: registry, prefix: 'vlcp_' });
  const apiCalls = once(
    registry,
    'vlcp_api_calls_total',
    () =>
      new Counter({
        name: 'vlcp_api_calls_total',
        help: 'Module API calls received over the Web API',
        labelNames: ['module', 'api'] as const,
        registers: [registry],
      }),
  );
  const apiErrors = once(
    registry,
    'vlcp_api_errors_total',
    () =>
      new Counter({
        name: 'vlcp_api_errors_total',
        help: 'Module API calls that failed, by kind (client: 4xx, internal: 5xx)',
        labelNames: ['module', 'api', 'kind'] as const,
        registers: [registry],
      }),
  );
  if (queueDepth !== undefined) {
    registry.removeSingleMetric('vlcp_event_queue_depth');
    new Gauge({
      name: 'vlcp_event_queue_depth',
      help: 'Events queued in the scheduler and not yet dispatched',
      registers: [registry],
      collect() {
        this.set(queueDepth());
      },
    });
  }
  return { registry, apiCalls, apiErrors };
}
