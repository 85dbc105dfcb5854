import { loginAdmin } from '@convene/api/admin/login';
import { ZAdminLogin } from '@convene/api/admin/schemas';
import { type AppError, isAppError } from '@convene/api/errors';
import { serverEnv } from '@/env';
import { webContext } from '@/server/context';
import { readJson, route } from '@/server/http';
import { assertSameOrigin, clientIp, json, rateLimited, sessionCookie } from '../_lib/auth';

export const dynamic = 'force-dynamic';

/** Email + password → session cookie. 401 on bad credentials, 429 + Retry-After when throttled. */
export const POST = route(async (req: Request) => {
  assertSameOrigin(req);
  const env = serverEnv();
  const body = await readJson(req, ZAdminLogin);
  try {
    const session = await loginAdmin(webContext().db, body, {
      ip: clientIp(req),
      userAgent: req.headers.get('user-agent'),
      ttlHours: env.ADMIN_SESSION_TTL_HOURS,
      limitPerMinute: env.ADMIN_LOGIN_LIMIT_PER_MINUTE,
    });
    const maxAge = Math.floor((session.expiresAt.getTime() - Date.now()) / 1000);
    const res = json({ email: session.email, expiresAt: session.expiresAt.toISOString() });
    res.headers.append('set-cookie', sessionCookie(session.token, maxAge));
    return res;
  } catch (error) {
    if (isAppError(error) && error.code === 'RATE_LIMITED') return rateLimited(error as AppError);
    throw error;
  }
});
