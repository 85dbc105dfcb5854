/**
 * The admin console's view of recordings: a paged list (newest first), the file to play or
 * download, and deleting a finished recording (file, then row, then an audit entry). Routes under
 * web/src/app/api/admin/recordings only parse, call these and map the result.
 */
import { z } from 'zod';
import { recordAudit } from '../admin/audit-log';
import type { TActor } from '../admin/schemas';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import type { S3ObjectStore } from './object-store';
import { deleteRecordingFile } from './recording-files';
import { type TSummaryRow, toRecordingSummary } from './recording-view';
import { deleteFinishedRecording, FINISHED_STATES } from './repository';
import type { TStoredRecordingState } from './state-machine';

export const ZRecordingId = z.string().uuid();

/** `?page=&pageSize=` of the list; page is 1-based. */
export const ZAdminRecordingsQuery = z
  .object({
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
export type TAdminRecordingsQuery = z.infer<typeof ZAdminRecordingsQuery>;

/** `?download=1` asks for `Content-Disposition: attachment` instead of inline playback. */
export const ZAdminRecordingFileQuery = z.object({ download: z.enum(['0', '1']).optional() }).strict();

export interface TAdminRecordingView {
  id: string;
  room: string;
  state: TStoredRecordingState;
  failureReason: string | null;
  startedBy: { identity: string; name: string };
  startedAt: string;
  endedAt: string | null;
  /** The recorder's measured media duration; for older rows, the wall time from start to end. */
  durationSeconds: number | null;
  sizeBytes: number | null;
  participantsCount: number;
  /** Ready with a stored file path: can be played and downloaded. */
  hasFile: boolean;
}

export interface TAdminRecordingsPage {
  data: TAdminRecordingView[];
  page: number;
  pageSize: number;
  total: number;
}

const SELECT = {
  id: true,
  state: true,
  failureReason: true,
  startedBy: true,
  startedByName: true,
  startedAt: true,
  endedAt: true,
  durationSeconds: true,
  sizeBytes: true,
  participants: true,
  filePath: true,
  room: { select: { slug: true } },
} as const;

type TRow = TSummaryRow & {
  durationSeconds: number | null;
  participants: unknown;
  filePath: string | null;
};

function toView(row: TRow): TAdminRecordingView {
  const wallSeconds = row.endedAt ? (row.endedAt.getTime() - row.startedAt.getTime()) / 1000 : null;
  return {
    ...toRecordingSummary(row),
    durationSeconds: row.durationSeconds ?? wallSeconds,
    participantsCount: Array.isArray(row.participants) ? row.participants.length : 0,
    hasFile: row.state === 'ready' && row.filePath !== null,
  };
}

/** Every recording of every room, newest first, one page at a time with the total for paging. */
export async function listAdminRecordings(
  db: Db,
  query: TAdminRecordingsQuery,
): Promise<TAdminRecordingsPage> {
  const [rows, total] = await Promise.all([
    db.recording.findMany({
      orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      select: SELECT,
    }),
    db.recording.count(),
  ]);
  return { data: rows.map(toView), page: query.page, pageSize: query.pageSize, total };
}

/** Ids come from URLs: anything that is not a uuid cannot exist. */
function recordingId(raw: string): string {
  const parsed = ZRecordingId.safeParse(raw);
  if (!parsed.success) throw new AppError('NOT_FOUND', 'No such recording.');
  return parsed.data;
}

/**
 * The stored file of a ready recording and a download name (`<room>-<started at>.webm`).
 * NOT_FOUND for an unknown id; CONFLICT while it is not ready (nothing finished to play yet).
 */
export async function getAdminRecordingFile(
  db: Db,
  rawId: string,
): Promise<{ filePath: string; fileName: string }> {
  const row = await db.recording.findUnique({ where: { id: recordingId(rawId) }, select: SELECT });
  if (!row) throw new AppError('NOT_FOUND', 'No such recording.');
  if (row.state !== 'ready' || !row.filePath) {
    throw new AppError('CONFLICT', `The recording is ${row.state}; only a ready recording has a file.`);
  }
  const extension = row.filePath.split('.').pop() ?? 'webm';
  const stamp = row.startedAt.toISOString().slice(0, 19).replace(/[:T]/g, '-');
  return { filePath: row.filePath, fileName: `${row.room.slug}-${stamp}.${extension}` };
}

/**
 * Deletes a finished (ready or failed) recording: the file first — a row without its file is
 * harmless, a file without a row would be an orphan nobody can find —, then the row (only if it
 * is still finished), then the audit entry. CONFLICT while it is still being recorded.
 */
export async function deleteAdminRecording(
  db: Db,
  actor: TActor,
  rawId: string,
  objectStore: S3ObjectStore | null = null,
): Promise<void> {
  const id = recordingId(rawId);
  const row = await db.recording.findUnique({ where: { id }, select: SELECT });
  if (!row) throw new AppError('NOT_FOUND', 'No such recording.');
  if (!FINISHED_STATES.includes(row.state as TStoredRecordingState)) {
    throw new AppError('CONFLICT', `The recording is still ${row.state}; stop it before deleting it.`, {
      state: row.state,
    });
  }
  // The same file-then-row steps as the REST delete and the retention sweep.
  await deleteRecordingFile(row.filePath, objectStore);
  if (!(await deleteFinishedRecording(db, id))) throw new AppError('NOT_FOUND', 'No such recording.');
  await recordAudit(db, {
    actor,
    action: 'recording.delete',
    room: row.room.slug,
    target: id,
    details: {
      state: row.state,
      startedAt: row.startedAt.toISOString(),
      startedBy: row.startedByName,
      sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes),
    },
  });
}
