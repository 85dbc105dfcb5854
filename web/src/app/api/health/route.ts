export const dynamic = 'force-dynamic';

/** Liveness: the process answers. Never checks dependencies (that is /api/ready). */
export function GET() {
  return Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
}
