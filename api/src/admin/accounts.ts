import type { Db } from '../db/client';
import { AppError } from '../errors';
import { isUniqueViolation } from '../rooms/repository';
import { hashPassword } from './passwords';
import { type TCreateAdmin, ZCreateAdmin } from './schemas';

export interface TAdminInfo {
  id: string;
  email: string;
  createdAt: Date;
  lastLoginAt: Date | null;
}

const PUBLIC_FIELDS = { id: true, email: true, createdAt: true, lastLoginAt: true } as const;

/** Creates an admin account; a taken email is a CONFLICT. */
export async function createAdmin(db: Db, input: TCreateAdmin): Promise<TAdminInfo> {
  const { email, password } = ZCreateAdmin.parse(input);
  try {
    return await db.adminUser.create({
      data: { email, passwordHash: await hashPassword(password) },
      select: PUBLIC_FIELDS,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('CONFLICT', 'An admin with this email already exists.');
    throw error;
  }
}

/** Sets a new password and signs the admin out everywhere. */
export async function resetAdminPassword(db: Db, input: TCreateAdmin): Promise<TAdminInfo> {
  const { email, password } = ZCreateAdmin.parse(input);
  const admin = await db.adminUser.findUnique({ where: { email } });
  if (!admin) throw new AppError('NOT_FOUND', 'No admin with this email.');
  const passwordHash = await hashPassword(password);
  const [updated] = await db.$transaction([
    db.adminUser.update({ where: { id: admin.id }, data: { passwordHash }, select: PUBLIC_FIELDS }),
    db.adminSession.deleteMany({ where: { adminId: admin.id } }),
  ]);
  return updated;
}

export function listAdmins(db: Db): Promise<TAdminInfo[]> {
  return db.adminUser.findMany({ select: PUBLIC_FIELDS, orderBy: { createdAt: 'asc' } });
}

export async function deleteAdmin(db: Db, email: string): Promise<void> {
  const { count } = await db.adminUser.deleteMany({ where: { email: email.trim().toLowerCase() } });
  if (count === 0) throw new AppError('NOT_FOUND', 'No admin with this email.');
}

/**
 * The first admin from ADMIN_EMAIL/ADMIN_PASSWORD, only while no admin exists: later password
 * changes in the environment never overwrite an account. Safe when several instances start at
 * once (the unique email makes the loser a no-op). Returns whether an account was created.
 */
export async function ensureBootstrapAdmin(
  db: Db,
  env: { ADMIN_EMAIL?: string; ADMIN_PASSWORD?: string },
): Promise<boolean> {
  if (!env.ADMIN_EMAIL || !env.ADMIN_PASSWORD) return false;
  if ((await db.adminUser.count()) > 0) return false;
  try {
    await createAdmin(db, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD });
    return true;
  } catch (error) {
    if (error instanceof AppError && error.code === 'CONFLICT') return false;
    throw error;
  }
}
