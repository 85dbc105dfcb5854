import type { Db } from '../db/client';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { TVerifiedJoin } from '../tokens/issue-join-token';
import { permissionsFor } from '../tokens/policy';
import type { Recorder, TRecorderOutcome, TRecordingFile } from './recorder';
import { findLatestRecording, insertRecording, lockRoom, updateRecordingState } from './repository';
import type { TRecordingState } from './schemas';
import {
  nextRecordingState,
  type TRecordingEvent,
  type TRecordingRow,
  type TStoredRecordingState,
  toRecordingState,
} from './state-machine';

export interface TRecordingDeps {
  db: Db;
  recorder: Recorder;
  logger: Logger;
  /** Called on every transition (the realtime server broadcasts `recording:state`). */
  publish: (room: string, state: TRecordingState) => void;
}

interface TActor {
  roomId: string;
  join: TVerifiedJoin;
}

function assertCanRecord(actor: TActor) {
  if (!permissionsFor(actor.join.role).canRecord) throw new AppError('FORBIDDEN', 'Only hosts can record.');
}

function storedState(row: TRecordingRow | null): TStoredRecordingState | null {
  return (row?.state as TStoredRecordingState | undefined) ?? null;
}

/** The room's current recording state. */
export async function getRecordingState(db: Db, roomId: string): Promise<TRecordingState> {
  return toRecordingState(await findLatestRecording(db, roomId));
}

/**
 * Applies a transition to a recording row under the room's lock and publishes the new state, or
 * answers null when it no longer applies (someone moved it first). Used by the control flow here
 * and by recorders whose progress arrives from outside (LiveKit Egress webhooks).
 */
export async function applyRecordingEvent(
  deps: Pick<TRecordingDeps, 'db' | 'publish'>,
  room: string,
  id: string,
  event: TRecordingEvent,
  extra: Parameters<typeof updateRecordingState>[3] = {},
): Promise<TRecordingRow | null> {
  const row = await deps.db.$transaction(async (tx) => {
    const current = await tx.recording.findUnique({ where: { id }, select: { state: true, roomId: true } });
    if (!current) return null;
    await lockRoom(tx, current.roomId);
    const fresh = await tx.recording.findUnique({ where: { id }, select: { state: true } });
    const next = nextRecordingState((fresh?.state as TStoredRecordingState | undefined) ?? null, event);
    return next ? updateRecordingState(tx, id, next, extra) : null;
  });
  if (row) deps.publish(room, toRecordingState(row));
  return row;
}

/**
 * Starts recording a room: only roles with canRecord; CONFLICT while one is active. Answers with
 * `starting`; the recorder then moves it to `recording` (or `failed`), each step broadcast.
 */
export async function startRecording(deps: TRecordingDeps, actor: TActor): Promise<TRecordingState> {
  assertCanRecord(actor);
  const row = await deps.db.$transaction(async (tx) => {
    await lockRoom(tx, actor.roomId);
    const latest = await findLatestRecording(tx, actor.roomId);
    if (nextRecordingState(storedState(latest), 'start') === null) {
      throw new AppError('CONFLICT', `A recording is already in progress (${latest?.state}).`, {
        state: toRecordingState(latest),
      });
    }
    return insertRecording(tx, {
      roomId: actor.roomId,
      startedBy: actor.join.identity,
      startedByName: actor.join.name,
    });
  });
  const room = actor.join.room;
  const state = toRecordingState(row);
  deps.publish(room, state);
  void deps.recorder
    .start({ room, recordingId: row.id, onEnded: (outcome) => endRecording(deps, room, row.id, outcome) })
    .then(
      () => applyRecordingEvent(deps, room, row.id, 'started'),
      (error: unknown) => {
        deps.logger.warn({ err: error, room, recordingId: row.id }, 'recorder failed to start');
        return applyRecordingEvent(deps, room, row.id, 'fail', {
          failureReason: 'The recorder could not start.',
        });
      },
    )
    .catch((error: unknown) => deps.logger.error({ err: error }, 'recording transition failed'));
  return state;
}

/** The file columns a recorder result fills (duration has no column yet). */
function storedFile(file: TRecordingFile): { filePath?: string; sizeBytes?: bigint } {
  return {
    ...(file.filePath !== undefined ? { filePath: file.filePath } : {}),
    ...(file.sizeBytes !== undefined ? { sizeBytes: file.sizeBytes } : {}),
  };
}

/**
 * A recording the recorder ended on its own (room ended, process shutdown, crash): stop then
 * ready with the file, or failed with the reason.
 */
async function endRecording(deps: TRecordingDeps, room: string, id: string, outcome: TRecorderOutcome) {
  if (!outcome.ok) {
    await applyRecordingEvent(deps, room, id, 'fail', { failureReason: outcome.reason, endedAt: new Date() });
    return;
  }
  await applyRecordingEvent(deps, room, id, 'stop');
  await applyRecordingEvent(deps, room, id, 'stopped', { ...storedFile(outcome.file), endedAt: new Date() });
}

/** Stops the active recording: only roles with canRecord; CONFLICT when nothing is recording. */
export async function stopRecording(deps: TRecordingDeps, actor: TActor): Promise<TRecordingState> {
  assertCanRecord(actor);
  const latest = await findLatestRecording(deps.db, actor.roomId);
  if (!latest) throw new AppError('CONFLICT', 'Nothing is being recorded.');
  const room = actor.join.room;
  const row = await applyRecordingEvent(deps, room, latest.id, 'stop');
  if (!row) throw new AppError('CONFLICT', 'Nothing is being recorded.');
  void deps.recorder
    .stop({ room, recordingId: row.id })
    .then(
      (file) =>
        applyRecordingEvent(deps, room, row.id, 'stopped', { ...storedFile(file), endedAt: new Date() }),
      (error: unknown) => {
        deps.logger.warn({ err: error, room, recordingId: row.id }, 'recorder failed to stop');
        return applyRecordingEvent(deps, room, row.id, 'fail', {
          failureReason: 'The recorder could not finish the file.',
          endedAt: new Date(),
        });
      },
    )
    .catch((error: unknown) => deps.logger.error({ err: error }, 'recording transition failed'));
  return toRecordingState(row);
}
