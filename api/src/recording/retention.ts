/**
 * Retention: finished recordings (ready/failed) older than RECORDINGS_RETENTION_DAYS are deleted,
 * file first, then row — so a file that cannot be removed keeps its row and is retried on the next
 * sweep instead of becoming an orphan nobody can find. Every realtime instance may run the sweep:
 * removing a file that is already gone and deleting a row that is already deleted are no-ops.
 */
import type { Db } from '../db/client';
import type { Logger } from '../logger';
import type { S3ObjectStore } from './object-store';
import { deleteRecordingFile } from './recording-files';
import { deleteFinishedRecording, FINISHED_STATES } from './repository';

const DAY_MS = 86_400_000;
const BATCH = 100;

/** Deletes what expired; answers how many recordings went. */
export async function sweepExpiredRecordings(
  db: Db,
  options: { retentionDays: number; now?: Date; logger: Logger; objectStore?: S3ObjectStore | null },
): Promise<number> {
  if (options.retentionDays <= 0) return 0;
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.retentionDays * DAY_MS);
  let deleted = 0;
  for (;;) {
    const expired = await db.recording.findMany({
      where: {
        state: { in: FINISHED_STATES },
        // A recording that never recorded a stop time (failed at start) ages from its start.
        OR: [{ endedAt: { lt: cutoff } }, { endedAt: null, startedAt: { lt: cutoff } }],
      },
      select: { id: true, filePath: true },
      orderBy: { startedAt: 'asc' },
      take: BATCH,
    });
    let progressed = false;
    for (const recording of expired) {
      try {
        await deleteRecordingFile(recording.filePath, options.objectStore ?? null);
      } catch (error) {
        options.logger.warn({ err: error, recordingId: recording.id }, 'expired recording file not removed');
        continue;
      }
      if (await deleteFinishedRecording(db, recording.id)) deleted++;
      progressed = true;
    }
    if (expired.length < BATCH || !progressed) break;
  }
  if (deleted > 0)
    options.logger.info({ deleted, retentionDays: options.retentionDays }, 'recordings expired');
  return deleted;
}
