import 'server-only';
import type { TActor } from '@convene/api/admin/schemas';
import { ADMIN_COOKIE, resolveAdminSession, type TAdminSession } from '@convene/api/admin/sessions';
import { AppError } from '@convene/api/errors';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { serverEnv } from '@/env';
import { webContext } from '@/server/context';
import { problem, route } from '@/server/http';

export function readCookie(req: Request, name: string): string | null {
  const header = req.headers.get('cookie');
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

/** Session cookie: HTTP-only, SameSite=Strict, Secure when served over https. */
export function sessionCookie(token: string, maxAgeSeconds: number): string {
  const secure = serverEnv().SECURE_COOKIES ? '; Secure' : '';
  return `${ADMIN_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

export function clearedSessionCookie(): string {
  return sessionCookie('', 0);
}

/**
 * CSRF defence for mutations, on top of SameSite=Strict: the Origin must be this site (the
 * configured public origin, an allowed origin, or the origin the request was addressed to).
 */
export function assertSameOrigin(req: Request): void {
  const origin = req.headers.get('origin');
  if (!origin) throw new AppError('FORBIDDEN', 'Missing Origin header.');
  const env = serverEnv();
  const host = req.headers.get('host');
  const proto = req.headers.get('x-forwarded-proto') ?? new URL(req.url).protocol.replace(':', '');
  const own = host ? `${proto}://${host}` : null;
  if (origin === own || env.ALLOWED_ORIGINS.includes(origin)) return;
  throw new AppError('FORBIDDEN', 'Cross-origin request refused.');
}

/** The client address as the reverse proxy reports it (X-Forwarded-For's first hop). */
/**
 * The address the login throttle keys on. Only what the nearest proxy wrote can be trusted: the
 * bundled nginx overwrites `X-Real-IP` with the peer address and appends it to `X-Forwarded-For`,
 * whose earlier entries are whatever the client sent (so never the first one).
 */
export function clientIp(req: Request): string {
  const realIp = req.headers.get('x-real-ip')?.trim();
  const lastForwarded = req.headers.get('x-forwarded-for')?.split(',').at(-1)?.trim();
  return realIp || lastForwarded || 'unknown';
}

export function actorFor(session: TAdminSession): TActor {
  return { type: 'admin', id: session.adminId, label: session.email };
}

export interface TAdminRequest<P> {
  req: Request;
  session: TAdminSession;
  params: P;
}

/**
 * Every admin API route goes through here: 401 without a live session, 403 for a cross-origin
 * mutation, problem+json for every error (429 carries Retry-After).
 */
export function adminRoute<P = Record<string, never>>(handler: (r: TAdminRequest<P>) => Promise<Response>) {
  return route(async (req: Request, ctx?: { params?: Promise<P> }) => {
    if (!['GET', 'HEAD', 'OPTIONS'].includes(req.method)) assertSameOrigin(req);
    const session = await resolveAdminSession(webContext().db, readCookie(req, ADMIN_COOKIE));
    if (!session) throw new AppError('UNAUTHENTICATED', 'Sign in as an admin.');
    const params = ((await ctx?.params) ?? {}) as P;
    return handler({ req, session, params });
  });
}

/** problem+json for RATE_LIMITED with Retry-After. */
export function rateLimited(error: AppError): Response {
  const retry = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 60;
  return problem(new AppError('RATE_LIMITED', error.message), { 'retry-after': String(retry) });
}

/** For server-rendered admin pages: the session, or a redirect to the login page. */
export async function requireAdminPage(next = '/admin'): Promise<TAdminSession> {
  const token = (await cookies()).get(ADMIN_COOKIE)?.value;
  const session = await resolveAdminSession(webContext().db, token);
  if (!session) redirect(`/admin/login?next=${encodeURIComponent(next)}`);
  return session;
}

export const json = (data: unknown, status = 200) =>
  Response.json(data, { status, headers: { 'cache-control': 'no-store' } });
