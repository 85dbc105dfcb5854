import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client';

/** The admin session cookie: an opaque random id; only its SHA-256 is stored. */
export const ADMIN_COOKIE = 'convene_admin';

export interface TAdminSession {
  sessionId: string;
  adminId: string;
  email: string;
  expiresAt: Date;
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createAdminSession(
  db: Db,
  adminId: string,
  options: { ttlHours: number; ip?: string | null; userAgent?: string | null },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + options.ttlHours * 3600_000);
  await db.adminSession.create({
    data: {
      tokenHash: hashSessionToken(token),
      adminId,
      expiresAt,
      ip: options.ip?.slice(0, 64) ?? null,
      userAgent: options.userAgent?.slice(0, 256) ?? null,
    },
  });
  return { token, expiresAt };
}

/** The live session for a cookie value, or null (unknown, expired, malformed). */
export async function resolveAdminSession(
  db: Db,
  token: string | undefined | null,
): Promise<TAdminSession | null> {
  if (!token || token.length > 128) return null;
  const row = await db.adminSession.findUnique({
    where: { tokenHash: hashSessionToken(token) },
    include: { admin: { select: { email: true } } },
  });
  if (!row || row.expiresAt.getTime() <= Date.now()) return null;
  // Coarse activity stamp: at most one write per minute per session.
  if (Date.now() - row.lastSeenAt.getTime() > 60_000) {
    await db.adminSession
      .update({ where: { id: row.id }, data: { lastSeenAt: new Date() } })
      .catch(() => undefined);
  }
  return { sessionId: row.id, adminId: row.adminId, email: row.admin.email, expiresAt: row.expiresAt };
}

export async function revokeAdminSession(db: Db, token: string | undefined | null): Promise<void> {
  if (!token) return;
  await db.adminSession.deleteMany({ where: { tokenHash: hashSessionToken(token) } });
}

/** Housekeeping: expired sessions are useless; called opportunistically on login. */
export async function deleteExpiredAdminSessions(db: Db): Promise<number> {
  const { count } = await db.adminSession.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  return count;
}
