import type { Db } from '../db/client';
import { AppError } from '../errors';
import { takeLoginAttempt } from './login-throttle';
import { dummyPasswordHash, verifyPassword } from './passwords';
import { type TAdminLogin, ZAdminLogin } from './schemas';
import { createAdminSession, deleteExpiredAdminSessions } from './sessions';

export interface TLoginOptions {
  ip: string;
  userAgent?: string | null;
  ttlHours: number;
  limitPerMinute: number;
}

/**
 * Email + password → a new session token. Throttled per (IP, email) and, more loosely, per email
 * alone (a client rotating forwarded addresses still meets a wall). Unknown email and wrong
 * password answer identically and take the same time.
 */
export async function loginAdmin(
  db: Db,
  input: TAdminLogin,
  options: TLoginOptions,
): Promise<{ token: string; expiresAt: Date; adminId: string; email: string }> {
  const { email, password } = ZAdminLogin.parse(input);
  await takeLoginAttempt(db, `ip:${options.ip}|email:${email}`, options.limitPerMinute);
  await takeLoginAttempt(db, `email:${email}`, options.limitPerMinute * 4);
  const admin = await db.adminUser.findUnique({ where: { email } });
  const ok = await verifyPassword(admin?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!admin || !ok) throw new AppError('UNAUTHENTICATED', 'Wrong email or password.');
  const session = await createAdminSession(db, admin.id, options);
  await db.adminUser.update({ where: { id: admin.id }, data: { lastLoginAt: new Date() } });
  void deleteExpiredAdminSessions(db).catch(() => undefined);
  return { ...session, adminId: admin.id, email: admin.email };
}
