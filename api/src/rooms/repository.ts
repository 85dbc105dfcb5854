import type { Db } from '../db/client';

export type TRoomRecord = NonNullable<Awaited<ReturnType<Db['room']['findUnique']>>>;

export function findRoomBySlug(db: Db, slug: string) {
  return db.room.findUnique({ where: { slug } });
}

/** Inserts a room; returns null when the slug is already taken (unique violation). */
export async function insertRoom(
  db: Db,
  data: { slug: string; displayName: string; hostSessionHash: string | null },
): Promise<TRoomRecord | null> {
  try {
    return await db.room.create({ data });
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
