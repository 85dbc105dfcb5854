import { parseEventCursor } from '@convene/api/admin/events';
import { openAdminEventStream, SSE_HEADERS } from '@convene/api/admin/sse';
import { webObservability } from '@/server/observability';
import { adminRoute } from '../_lib/auth';
import { adminContext } from '../_lib/context';

export const dynamic = 'force-dynamic';

/**
 * The admin live feed as Server-Sent Events. Resumes after `Last-Event-ID` (EventSource sends it on
 * reconnect) or `?after=` (the cursor of an overview snapshot); otherwise starts from now.
 * `?heartbeatMs=` may shorten (never lengthen) the keep-alive interval.
 */
export const GET = adminRoute(async ({ req }) => {
  const { hub, env } = adminContext();
  const url = new URL(req.url);
  const after =
    parseEventCursor(req.headers.get('last-event-id')) ?? parseEventCursor(url.searchParams.get('after'));
  const requested = Number(url.searchParams.get('heartbeatMs'));
  const heartbeatMs =
    Number.isFinite(requested) && requested >= 200
      ? Math.min(requested, env.ADMIN_SSE_HEARTBEAT_MS)
      : env.ADMIN_SSE_HEARTBEAT_MS;
  return new Response(
    openAdminEventStream(hub, {
      after,
      heartbeatMs,
      signal: req.signal,
      streams: webObservability().sse,
    }),
    {
      headers: SSE_HEADERS,
    },
  );
});
