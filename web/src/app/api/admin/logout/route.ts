import { ADMIN_COOKIE, revokeAdminSession } from '@convene/api/admin/sessions';
import { webContext } from '@/server/context';
import { route } from '@/server/http';
import { assertSameOrigin, clearedSessionCookie, readCookie } from '../_lib/auth';

export const dynamic = 'force-dynamic';

/** Deletes the session server-side and clears the cookie (idempotent). */
export const POST = route(async (req: Request) => {
  assertSameOrigin(req);
  await revokeAdminSession(webContext().db, readCookie(req, ADMIN_COOKIE));
  return new Response(null, { status: 204, headers: { 'set-cookie': clearedSessionCookie() } });
});
