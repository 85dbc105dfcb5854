import type { Db } from '../db/client';

/**
 * How long connection-quality changes are kept. Live views only read samples since their
 * meeting started, so this bounds the table without touching any meeting in progress.
 */
export const QUALITY_SAMPLE_RETENTION_MS = 30 * 24 * 3600_000;

/** Deletes quality samples older than the retention; answers how many went. */
export async function pruneQualitySamples(db: Db, now = new Date()): Promise<number> {
  const { count } = await db.qualitySample.deleteMany({
    where: { createdAt: { lt: new Date(now.getTime() - QUALITY_SAMPLE_RETENTION_MS) } },
  });
  return count;
}
