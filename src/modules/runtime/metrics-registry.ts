/**
 * The metrics registry a runtime hands its modules. Modules register their Prometheus
 * counters and gauges here (through `ctx.metrics`), so they never depend on the Web API;
 * the Web API serves this same registry at /metrics. One registry per runtime, so two
 * runtimes in one process (tests) never collide on metric names.
 */
import { Registry } from 'prom-client';

export type MetricsRegistry = Registry;

export function createMetricsRegistry(): MetricsRegistry {
  return new Registry();
}
