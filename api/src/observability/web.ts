import { Gauge, type Registry } from 'prom-client';
import { createSseStreams, type TSseStreamRegistry } from '../admin/sse';
import type { TEnv } from '../env';
import { DrainState } from './drain';
import {
  createMetricsRegistry,
  registerLifecycleMetrics,
  registerWebhookMetrics,
  type TWebhookOutcome,
} from './metrics';
import { livekitProbe, postgresProbe } from './probes';
import { createReadiness, type TReadinessChecker } from './readiness';

export interface TWebObservability {
  registry: Registry;
  drain: DrainState;
  readiness: TReadinessChecker;
  /** Open admin SSE streams: counted by `convene_sse_clients`, ended with a retry hint on drain. */
  sse: TSseStreamRegistry;
  /** The outbox worker's `onOutcome` (`convene_webhook_deliveries_total`). */
  webhookOutcome: (outcome: TWebhookOutcome, latencyMs: number | null) => void;
}

/**
 * The Next.js server's registry, drain state and readiness. The web tier needs Postgres and
 * LiveKit (token issuing, room admin); Redis belongs to the realtime tier and is not a web
 * readiness condition.
 */
export function createWebObservability({
  env,
  db,
  instance,
}: {
  env: Pick<TEnv, 'LIVEKIT_URL'>;
  db: { $queryRawUnsafe(query: string): Promise<unknown> };
  instance: string;
}): TWebObservability {
  const registry = createMetricsRegistry({ service: 'web', instance });
  const drain = new DrainState();
  const readiness = createReadiness({ drain, probes: [postgresProbe(db), livekitProbe(env.LIVEKIT_URL)] });
  registerLifecycleMetrics(registry, { drain, isReady: () => readiness.lastReady });
  const sse = createSseStreams();
  new Gauge({
    name: 'convene_sse_clients',
    help: 'Admin live-feed (Server-Sent Events) streams open on this web instance',
    registers: [registry],
    collect() {
      this.set(sse.size);
    },
  });
  const webhookOutcome = registerWebhookMetrics(registry);
  return { registry, drain, readiness, sse, webhookOutcome };
}
