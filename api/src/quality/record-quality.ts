import { appendAdminEvent } from '../admin/events';
import type { Db } from '../db/client';
import type { TConnectionQuality, TQualityReportResult } from './schemas';

/**
 * Stores a participant's reported connection quality when it differs from their latest sample
 * (repeats are acknowledged, not stored) and puts the change on the admin feed.
 */
export async function recordQualitySample(
  db: Db,
  sample: { room: string; identity: string; quality: TConnectionQuality },
): Promise<TQualityReportResult> {
  const latest = await db.qualitySample.findFirst({
    where: { roomSlug: sample.room, identity: sample.identity },
    orderBy: { id: 'desc' },
    select: { quality: true },
  });
  if (latest?.quality === sample.quality) return { quality: sample.quality, changed: false };
  await db.$transaction(async (tx) => {
    const row = await tx.qualitySample.create({
      data: { roomSlug: sample.room, identity: sample.identity, quality: sample.quality },
    });
    await appendAdminEvent(tx, 'participant.quality', sample.room, {
      identity: sample.identity,
      quality: sample.quality,
      since: row.createdAt.toISOString(),
    });
  });
  return { quality: sample.quality, changed: true };
}
