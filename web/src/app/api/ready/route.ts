import { webObservability } from '@/server/observability';

export const dynamic = 'force-dynamic';

/** Readiness: 503 while draining or while Postgres/LiveKit do not answer (see docs/operations.md). */
export async function GET() {
  const result = await webObservability().readiness.evaluate();
  return Response.json(result, {
    status: result.ready ? 200 : 503,
    headers: { 'cache-control': 'no-store' },
  });
}
