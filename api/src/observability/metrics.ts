import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
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

/** What `convene_chat_persist_seconds` observes: ChatWriter.observe, without importing the writer. */
export interface TChatPersistSource {
  observe(observer: (persisted: { seconds: number; ok: boolean }) => void): () => void;
}

/**
 * `convene_chat_persist_seconds{outcome}`: from a message entering the chat writer's queue to its
 * statement committing — the part of a `chat:send` ack spent waiting for and in PostgreSQL.
 */
export function registerChatPersistMetrics(registry: Registry, source?: TChatPersistSource): () => void {
  const histogram = new Histogram({
    name: 'convene_chat_persist_seconds',
    help: 'Chat message enqueue to committed insert (group commit per room), by outcome (stored/failed)',
    labelNames: ['outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const stored = histogram.labels({ outcome: 'stored' });
  const failed = histogram.labels({ outcome: 'failed' });
  return source?.observe(({ seconds, ok }) => (ok ? stored : failed).observe(seconds)) ?? (() => {});
}

/** Outcome of one outgoing webhook attempt, as the worker stored it. */
export type TWebhookOutcome = 'delivered' | 'retry_scheduled' | 'failed' | 'skipped';

/**
 * `convene_webhook_deliveries_total{outcome}` and `convene_webhook_attempt_seconds{outcome}` in the
 * process that runs the outbox worker: `delivered` (2xx), `retry_scheduled` (failed, another
 * attempt is due later), `failed` (failed and out of retries: dead), `skipped` (endpoint disabled,
 * not attempted). Returns the worker's `onOutcome` hook.
 */
export function registerWebhookMetrics(
  registry: Registry,
): (outcome: TWebhookOutcome, latencyMs: number | null) => void {
  const outcomes = new Counter({
    name: 'convene_webhook_deliveries_total',
    help: 'Outgoing webhook delivery attempts by stored outcome (delivered, retry_scheduled, failed, skipped)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const seconds = new Histogram({
    name: 'convene_webhook_attempt_seconds',
    help: 'Outgoing webhook HTTP attempt duration, by outcome',
    labelNames: ['outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  // Every outcome is present from the first scrape, so rate() and alerts see a 0, not a gap.
  for (const outcome of ['delivered', 'retry_scheduled', 'failed', 'skipped'] as const)
    outcomes.inc({ outcome }, 0);
  return (outcome, latencyMs) => {
    outcomes.inc({ outcome });
    if (latencyMs !== null) seconds.observe({ outcome }, latencyMs / 1000);
  };
}
