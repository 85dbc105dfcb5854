import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { DrainState } from './drain';

export { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * One Prometheus registry per process, every series labelled with `service` and `instance_id`
 * (not `instance`: Prometheus sets that one to the scrape target) so replicas never collide. Node's default process metrics
 * (CPU, memory, event-loop lag, GC) come with it.
 */
export function createMetricsRegistry({
  service,
  instance,
}: {
  service: string;
  instance: string;
}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service, instance_id: instance });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** `convene_draining` (0/1) and `convene_ready` (0/1) gauges, read at scrape time. */
export function registerLifecycleMetrics(
  registry: Registry,
  { drain, isReady }: { drain: DrainState; isReady: () => boolean },
): void {
  new Gauge({
    name: 'convene_draining',
    help: '1 while the process is draining after SIGTERM',
    registers: [registry],
    collect() {
      this.set(drain.value.state === 'serving' ? 0 : 1);
    },
  });
  new Gauge({
    name: 'convene_ready',
    help: '1 when the last readiness evaluation passed',
    registers: [registry],
    collect() {
      this.set(isReady() ? 1 : 0);
    },
  });
}
