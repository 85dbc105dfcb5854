import { isMetricsRequestAllowed, webObservability } from '@/server/observability';

export const dynamic = 'force-dynamic';

/** Prometheus exposition of this web instance (protect with METRICS_TOKEN or keep it internal). */
export async function GET(req: Request) {
  if (!isMetricsRequestAllowed(req))
    return new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer' } });
  const { registry } = webObservability();
  return new Response(await registry.metrics(), {
    headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' },
  });
}
