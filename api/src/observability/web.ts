import type { Registry } from 'prom-client';
import type { TEnv } from '../env';
import { DrainState } from './drain';
import { createMetricsRegistry, registerLifecycleMetrics } from './metrics';
import { livekitProbe, postgresProbe } from './probes';
import { createReadiness, type TReadinessChecker } from './readiness';

export interface TWebObservability {
  registry: Registry;
  drain: DrainState;
  readiness: TReadinessChecker;
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
  return { registry, drain, readiness };
}
