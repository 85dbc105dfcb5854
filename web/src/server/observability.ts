import 'server-only';
import { resolveInstanceId } from '@convene/api/observability/instance';
import { createWebObservability, type TWebObservability } from '@convene/api/observability/web';
import { serverEnv } from '@/env';
import { webContext } from './context';

const globalForOps = globalThis as unknown as { conveneOps?: TWebObservability };

/** Process-wide metrics registry, drain state and readiness of this Next.js server. */
export function webObservability(): TWebObservability {
  if (!globalForOps.conveneOps) {
    const env = serverEnv();
    globalForOps.conveneOps = createWebObservability({
      env,
      db: webContext().db,
      instance: resolveInstanceId(env),
    });
  }
  return globalForOps.conveneOps;
}

/** `Authorization: Bearer $METRICS_TOKEN` when a token is configured. */
export function isMetricsRequestAllowed(req: Request): boolean {
  const token = serverEnv().METRICS_TOKEN;
  return !token || req.headers.get('authorization') === `Bearer ${token}`;
}
