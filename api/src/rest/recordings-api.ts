/**
 * REST API v1 recordings. Start and stop go to the realtime server over its internal HTTP (it
 * holds the recorder and runs the same domain functions as the hosts' socket events); reading,
 * downloading and deleting finished recordings happen here, on the database and the recordings
 * directory the realtime server writes to.
 */
import { z } from 'zod';
import { recordAudit } from '../admin/audit-log';
import type { TActor } from '../admin/schemas';
import type { TApiPrincipal } from '../apikeys/api-keys';
import { AppError } from '../errors';
import { startRecordingRemotely, stopRecordingRemotely } from '../realtime/internal-client';
import { recordingDownloadPath } from '../recording/control-recording';
import { recordingDownloadResponse } from '../recording/file-response';
import { objectStoreFor } from '../recording/object-store';
import type { TRecordedParticipant } from '../recording/recorder';
import { deleteRecordingFile } from '../recording/recording-files';
import { toRecordingSummary } from '../recording/recording-view';
import {
  deleteFinishedRecording,
  findRecordingRecord,
  listRecordingRecords,
  type TRecordingRecord,
} from '../recording/repository';
import type { TApiContext } from './api-context';
import type { TListRecordingsQuery, TRecording } from './recording-schemas';

/** A recording id path parameter: anything that is not a uuid cannot exist. */
export function parseRecordingParam(raw: string): string {
  const parsed = z.uuid().safeParse(raw);
  if (!parsed.success) throw new AppError('NOT_FOUND', 'No such recording.');
  return parsed.data;
}

/** The recording actor of an API key: `api:<prefix>`, named after the key. */
function integratorOf(principal: Pick<TApiPrincipal, 'prefix' | 'name'>) {
  return {
    actor: { identity: `api:${principal.prefix}`, name: principal.name.slice(0, 128) || principal.prefix },
  };
}

function participantsOf(value: unknown): TRecordedParticipant[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((p) =>
    p && typeof p === 'object' && typeof p.identity === 'string'
      ? [
          {
            identity: p.identity as string,
            name: typeof p.name === 'string' ? (p.name as string) : p.identity,
          },
        ]
      : [],
  );
}

export function toRecordingView(ctx: TApiContext, row: TRecordingRecord): TRecording {
  const isReady = row.state === 'ready' && row.filePath !== null;
  return {
    ...toRecordingSummary(row),
    durationSeconds: row.durationSeconds,
    participants: participantsOf(row.participants),
    downloadUrl: isReady ? new URL(recordingDownloadPath(row.id), ctx.env.PUBLIC_URL).toString() : null,
  };
}

async function findOrThrow(ctx: TApiContext, id: string): Promise<TRecordingRecord> {
  const row = await findRecordingRecord(ctx.db, id);
  if (!row) throw new AppError('NOT_FOUND', 'No such recording.');
  return row;
}

export async function apiGetRecording(ctx: TApiContext, id: string): Promise<TRecording> {
  return toRecordingView(ctx, await findOrThrow(ctx, id));
}

export async function apiListRecordings(
  ctx: TApiContext,
  query: TListRecordingsQuery,
): Promise<{ data: TRecording[]; nextCursor: string | null }> {
  const { records, nextCursor } = await listRecordingRecords(ctx.db, query);
  return { data: records.map((r) => toRecordingView(ctx, r)), nextCursor };
}

/**
 * Starts recording a room: 404 unknown room, 403 when the room disallows recording, 409 (details:
 * the current state) while one is active. Answers the new recording (`starting`).
 */
export async function apiStartRecording(
  ctx: TApiContext,
  principal: Pick<TApiPrincipal, 'prefix' | 'name'>,
  room: string,
): Promise<TRecording> {
  const state = await startRecordingRemotely(ctx.realtime, room, integratorOf(principal));
  if (state.state === 'idle') throw new AppError('INTERNAL');
  return apiGetRecording(ctx, state.recordingId);
}

/** Stops a recording: 404 unknown, 409 not active. Answers it in `stopping`. */
export async function apiStopRecording(
  ctx: TApiContext,
  principal: Pick<TApiPrincipal, 'prefix' | 'name'>,
  id: string,
): Promise<TRecording> {
  await stopRecordingRemotely(ctx.realtime, id, integratorOf(principal));
  return apiGetRecording(ctx, id);
}

/** The file of a ready recording as a download (byte ranges: 206/416); 404 when not ready or gone. */
export async function apiDownloadRecording(ctx: TApiContext, id: string, req: Request): Promise<Response> {
  const row = await findOrThrow(ctx, id);
  if (row.state !== 'ready' || !row.filePath) {
    throw new AppError('NOT_FOUND', `The recording is ${row.state}; only a ready recording has a file.`);
  }
  const extension = row.filePath.split('.').pop() ?? 'webm';
  const stamp = row.startedAt.toISOString().slice(0, 19).replace(/[:T]/g, '-');
  return recordingDownloadResponse(
    row.filePath,
    {
      range: req.headers.get('range'),
      fileName: `${row.room.slug}-${stamp}.${extension}`,
      disposition: 'attachment',
      method: req.method,
    },
    objectStoreFor(ctx.env),
  );
}

/**
 * Deletes a finished recording: the file first (a row without its file is harmless, a file
 * without a row an orphan), then the row, then an audit entry. 409 while it is still active.
 */
export async function apiDeleteRecording(ctx: TApiContext, actor: TActor, id: string): Promise<void> {
  const row = await findOrThrow(ctx, id);
  if (row.state !== 'ready' && row.state !== 'failed') {
    throw new AppError('CONFLICT', `The recording is still ${row.state}; stop it before deleting it.`, {
      state: row.state,
    });
  }
  await deleteRecordingFile(row.filePath, objectStoreFor(ctx.env));
  if (!(await deleteFinishedRecording(ctx.db, id))) throw new AppError('NOT_FOUND', 'No such recording.');
  await recordAudit(ctx.db, {
    actor,
    action: 'recording.delete',
    room: row.room.slug,
    target: id,
    details: { state: row.state, sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes) },
  });
}
