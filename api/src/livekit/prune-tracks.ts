import type { Db } from '../db/client';

/** Unpublished tracks are kept this long (a meeting's history), then removed. */
export const PUBLISHED_TRACK_RETENTION_MS = 30 * 24 * 3600_000;

/**
 * Deletes tracks unpublished longer ago than the retention; live ones (no `unpublishedAt`) are
 * never touched. Answers how many went.
 */
export async function prunePublishedTracks(db: Db, now = new Date()): Promise<number> {
  const { count } = await db.publishedTrack.deleteMany({
    where: { unpublishedAt: { lt: new Date(now.getTime() - PUBLISHED_TRACK_RETENTION_MS) } },
  });
  return count;
}
