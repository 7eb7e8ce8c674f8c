/** Prometheus metrics of the Web API and the event core, served at /metrics. */
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

export interface WebApiMetrics {
  readonly registry: Registry;
  readonly apiCalls: Counter<'module' | 'api'>;
  readonly apiErrors: Counter<'module' | 'api' | 'kind'>;
}

export function createMetrics(queueDepth?: () => number): WebApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'vlcp_' });
  const apiCalls = new Counter({
    name: 'vlcp_api_calls_total',
    help: 'Module API calls received over the Web API',
    labelNames: ['module', 'api'] as const,
    registers: [registry],
  });
  const apiErrors = new Counter({
    name: 'vlcp_api_errors_total',
    help: 'Module API calls that failed, by kind (client: 4xx, internal: 5xx)',
    labelNames: ['module', 'api', 'kind'] as const,
    registers: [registry],
  });
  if (queueDepth !== undefined) {
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
