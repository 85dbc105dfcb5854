import { randomBytes } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import type { Registry } from 'prom-client';
import type { TEnv } from '../env';
import type { Logger } from '../logger';
import { isMeetingChannel } from '../realtime/types';
import { DrainState } from './drain';
import { installOpsRoutes } from './http';
import {
  createMetricsRegistry,
  registerChatPersistMetrics,
  registerLifecycleMetrics,
  type TChatPersistSource,
} from './metrics';
import { livekitProbe, postgresProbe, redisProbe } from './probes';
import { createReadiness, type TProbe, type TReadinessChecker } from './readiness';
import { drainRealtimeClients, type TDrainReport } from './realtime-drain';
import {
  instrumentRealtime,
  type TAnyServer,
  type TRealtimeInstrumentation,
} from './realtime-instrumentation';

export interface TRealtimeObservability {
  registry: Registry;
  drain: DrainState;
  readiness: TReadinessChecker;
  instrumentation: TRealtimeInstrumentation;
  /** SIGTERM path: readiness false, refuse new sessions, move clients, wait for acks. */
  drainClients(reason: string): Promise<TDrainReport>;
  close(): void;
}

export interface TRealtimeObservabilityDeps {
  env: Pick<TEnv, 'REDIS_URL' | 'LIVEKIT_URL' | 'METRICS_TOKEN' | 'DRAIN_SPREAD_MS'>;
  db?: { $queryRawUnsafe(query: string): Promise<unknown> };
  logger: Logger;
  /** `writer`: the chat writer whose commits `convene_chat_persist_seconds` times. */
  server: { httpServer: HttpServer; io: TAnyServer; writer?: TChatPersistSource };
  instance: string;
  /** Replaces the default dependency probes (tests). */
  probes?: TProbe[];
}

/** Metrics, `/healthz`, `/readyz`, `/metrics` and the drain procedure for one realtime instance. */
export function attachRealtimeObservability({
  env,
  db,
  logger,
  server,
  instance,
  probes,
}: TRealtimeObservabilityDeps): TRealtimeObservability {
  const registry = createMetricsRegistry({ service: 'realtime', instance });
  const drain = new DrainState();
  const redis = env.REDIS_URL && !probes ? redisProbe(env.REDIS_URL) : undefined;
  const readiness = createReadiness({
    drain,
    probes: probes ?? [
      ...(db ? [postgresProbe(db)] : []),
      ...(redis ? [redis] : []),
      livekitProbe(env.LIVEKIT_URL),
    ],
  });
  registerLifecycleMetrics(registry, { drain, isReady: () => readiness.lastReady });
  const instrumentation = instrumentRealtime(server.io, registry, { isMeetingRoom: isMeetingChannel });
  const unobserveChat = registerChatPersistMetrics(registry, server.writer);
  // `<instance>.<random>` session ids let a proxy send every request of a long-polling session
  // back to the instance that holds it, without cookies (infra/nginx: `map $arg_sid`).
  server.io.engine.generateId = () => `${instance}.${randomBytes(15).toString('base64url')}`;
  installOpsRoutes(server.httpServer, { registry, readiness, drain, metricsToken: env.METRICS_TOKEN });
  const log = logger.child({ module: 'observability' });
  drain.onChange((value) => log.info({ drain: value }, `lifecycle: ${value.state}`));

  return {
    registry,
    drain,
    readiness,
    instrumentation,
    drainClients(reason) {
      drain.begin(reason);
      return drainRealtimeClients({
        io: server.io,
        drain,
        instrumentation,
        logger,
        spreadMs: env.DRAIN_SPREAD_MS,
      });
    },
    close() {
      drain.stop();
      unobserveChat();
      redis?.close();
    },
  };
}
