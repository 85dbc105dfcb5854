import { appendAdminEvent } from '../admin/events';
import type { Db, Prisma } from '../db/client';
import { AppError, isAppError } from '../errors';
import type { Logger } from '../logger';
import type { TVerifiedJoin } from '../tokens/issue-join-token';
import { permissionsFor } from '../tokens/policy';
import { enqueueDomainEvent } from '../webhooks/enqueue';
import type { Recorder, TRecorderOutcome, TRecordingFile } from './recorder';
import {
  findLatestRecording,
  insertRecording,
  lockRoom,
  type TRecordingUpdate,
  updateRecordingState,
} from './repository';
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
  /** This process's INSTANCE_ID, stored as the owner of what a process-bound recorder records. */
  instanceId?: string;
  /**
   * Asks the other realtime instances to stop a recording their recorder holds; resolves whether
   * one of them took it. Absent when this is the only instance.
   */
  relayStop?: (input: { room: string; recordingId: string }) => Promise<boolean>;
  /** Asks the other realtime instances whether one of them holds a recording. Absent when alone. */
  askHeld?: (recordingId: string) => Promise<boolean>;
}

/**
 * Who drives a recording. A participant is verified by their join token and may record when
 * their role can (hosts); an integrator reaches here through the REST API, which already checked
 * the API key's `recordings:write` scope. Both go through the same functions below.
 */
export type TRecordingControlActor =
  | { kind: 'participant'; roomId: string; join: TVerifiedJoin }
  | { kind: 'integrator'; identity: string; name: string };

/** Shown on a recording whose stop found no process holding it (crashed or restarted). */
export const OWNER_GONE_REASON = 'The process recording it is gone.';

function actorIdentity(actor: TRecordingControlActor): { identity: string; name: string } {
  return actor.kind === 'participant'
    ? { identity: actor.join.identity, name: actor.join.name }
    : { identity: actor.identity, name: actor.name };
}

function assertCanRecord(actor: TRecordingControlActor, room: string) {
  if (actor.kind === 'integrator') return;
  if (actor.join.room !== room) throw new AppError('FORBIDDEN', 'You are not in this room.');
  if (!permissionsFor(actor.join.role).canRecord) throw new AppError('FORBIDDEN', 'Only hosts can record.');
}

function storedState(row: TRecordingRow | null): TStoredRecordingState | null {
  return (row?.state as TStoredRecordingState | undefined) ?? null;
}

/** The room's current recording state. */
export async function getRecordingState(db: Db, roomId: string): Promise<TRecordingState> {
  return toRecordingState(await findLatestRecording(db, roomId));
}

/** Path of a recording's file in REST API v1 (webhook payloads carry it; prefix with the public URL). */
export function recordingDownloadPath(id: string): string {
  return `/api/v1/recordings/${id}/download`;
}

/**
 * The outgoing webhook of a transition, written in its transaction (so it exists exactly when the
 * new state does): `recording.started` on recording, `recording.ready` with the file, and
 * `recording.failed` with the reason.
 */
async function enqueueTransitionEvent(
  tx: Prisma.TransactionClient,
  room: { id: string; name: string },
  row: TRecordingRow,
  extra: TRecordingUpdate,
) {
  const base = {
    id: row.id,
    room: room.name,
    startedBy: { identity: row.startedBy, name: row.startedByName },
  };
  // `room {id,name}` like the room and participant events; `recording.room` is the name again.
  if (row.state === 'recording') {
    await enqueueDomainEvent(tx, 'recording.started', { room, recording: base });
  } else if (row.state === 'ready') {
    await enqueueDomainEvent(tx, 'recording.ready', {
      room,
      recording: {
        ...base,
        durationSeconds: extra.durationSeconds ?? null,
        sizeBytes: extra.sizeBytes === undefined ? null : Number(extra.sizeBytes),
        participants: extra.participants ?? [],
        downloadUrl: recordingDownloadPath(row.id),
      },
    });
  } else if (row.state === 'failed') {
    await enqueueDomainEvent(tx, 'recording.failed', {
      room,
      recording: { ...base, reason: row.failureReason ?? 'unknown' },
    });
  }
}

/**
 * Applies a transition to a recording row under the room's lock and publishes the new state, or
 * answers null when it no longer applies (someone moved it first). Used by the control flow here
 * and by recorders whose progress arrives from outside (LiveKit Egress webhooks). The matching
 * outgoing webhook is enqueued in the same transaction.
 */
export async function applyRecordingEvent(
  deps: Pick<TRecordingDeps, 'db' | 'publish'>,
  room: string,
  id: string,
  event: TRecordingEvent,
  extra: TRecordingUpdate = {},
): Promise<TRecordingRow | null> {
  const row = await deps.db.$transaction(async (tx) => {
    const current = await tx.recording.findUnique({ where: { id }, select: { state: true, roomId: true } });
    if (!current) return null;
    await lockRoom(tx, current.roomId);
    const fresh = await tx.recording.findUnique({ where: { id }, select: { state: true } });
    const next = nextRecordingState((fresh?.state as TStoredRecordingState | undefined) ?? null, event);
    if (!next) return null;
    const updated = await updateRecordingState(tx, id, next, extra);
    await enqueueTransitionEvent(tx, { id: current.roomId, name: room }, updated, extra);
    await appendAdminEvent(tx, 'recording', room, { recording: toRecordingState(updated) });
    return updated;
  });
  if (row) deps.publish(room, toRecordingState(row));
  return row;
}

async function findRoomOrThrow(db: Db, slug: string) {
  const room = await db.room.findUnique({
    where: { slug },
    select: { id: true, slug: true, recordingAllowed: true },
  });
  if (!room) throw new AppError('ROOM_NOT_FOUND');
  return room;
}

/**
 * Starts recording a room: hosts (or an integrator); FORBIDDEN when the room disallows recording;
 * CONFLICT (details: the current state) while one is active. Answers with `starting`; the recorder
 * then moves it to `recording` (or `failed`), each step broadcast.
 */
export async function startRecording(
  deps: TRecordingDeps,
  actor: TRecordingControlActor,
  room: string,
): Promise<TRecordingState> {
  assertCanRecord(actor, room);
  const target = await findRoomOrThrow(deps.db, room);
  if (!target.recordingAllowed) throw new AppError('FORBIDDEN', 'Recording is disabled for this room.');
  const startedBy = actorIdentity(actor);
  const row = await deps.db.$transaction(async (tx) => {
    await lockRoom(tx, target.id);
    const latest = await findLatestRecording(tx, target.id);
    if (nextRecordingState(storedState(latest), 'start') === null) {
      throw new AppError('CONFLICT', `A recording is already in progress (${latest?.state}).`, {
        state: toRecordingState(latest),
      });
    }
    const inserted = await insertRecording(tx, {
      roomId: target.id,
      startedBy: startedBy.identity,
      startedByName: startedBy.name,
      // Only a process-bound recorder has an owner that stops must reach.
      ownerInstance: deps.recorder.owns ? (deps.instanceId ?? null) : null,
    });
    await appendAdminEvent(tx, 'recording', room, { recording: toRecordingState(inserted) });
    return inserted;
  });
  const state = toRecordingState(row);
  deps.publish(room, state);
  void deps.recorder
    .start({ room, recordingId: row.id, onEnded: (outcome) => endRecording(deps, room, row.id, outcome) })
    .then(
      () => applyRecordingEvent(deps, room, row.id, 'started'),
      (error: unknown) => {
        deps.logger.warn({ err: error, room, recordingId: row.id }, 'recorder failed to start');
        return applyRecordingEvent(deps, room, row.id, 'fail', {
          // An AppError's message is written for people (e.g. LiveKit Egress' refusal); others stay generic.
          failureReason: isAppError(error) ? error.message : 'The recorder could not start.',
        });
      },
    )
    .catch((error: unknown) => deps.logger.error({ err: error }, 'recording transition failed'));
  return state;
}

/** The columns a recorder result fills. */
function storedFile(file: TRecordingFile): TRecordingUpdate {
  return {
    ...(file.filePath !== undefined ? { filePath: file.filePath } : {}),
    ...(file.sizeBytes !== undefined ? { sizeBytes: file.sizeBytes } : {}),
    ...(file.durationSeconds !== undefined ? { durationSeconds: file.durationSeconds } : {}),
    ...(file.participants !== undefined ? { participants: file.participants } : {}),
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

/** Has this process's recorder finish a recording already marked `stopping` (in the background). */
function finishHere(deps: TRecordingDeps, room: string, id: string): void {
  void deps.recorder
    .stop({ room, recordingId: id })
    .then(
      (file) => applyRecordingEvent(deps, room, id, 'stopped', { ...storedFile(file), endedAt: new Date() }),
      (error: unknown) => {
        deps.logger.warn({ err: error, room, recordingId: id }, 'recorder failed to stop');
        return applyRecordingEvent(deps, room, id, 'fail', {
          failureReason: isAppError(error) ? error.message : 'The recorder could not finish the file.',
          endedAt: new Date(),
        });
      },
    )
    .catch((error: unknown) => deps.logger.error({ err: error }, 'recording transition failed'));
}

/**
 * For a stop relayed from another instance: finishes the recording when this process's recorder
 * holds it and answers whether it did.
 */
export function stopOwnedRecording(
  deps: TRecordingDeps,
  input: { room: string; recordingId: string },
): boolean {
  if (!deps.recorder.owns?.(input.recordingId)) return false;
  finishHere(deps, input.room, input.recordingId);
  return true;
}

/**
 * Sends a stopping recording to whoever holds it: this process's recorder, else the instance
 * that owns it (relayed); when nobody does, it fails with OWNER_GONE_REASON instead of staying
 * in `stopping` forever.
 */
async function routeStop(deps: TRecordingDeps, room: string, row: TRecordingRow): Promise<void> {
  const { recorder } = deps;
  if (!recorder.owns || recorder.owns(row.id)) {
    finishHere(deps, room, row.id);
    return;
  }
  // Owned by this instance id but not held: this process restarted, nobody else has it.
  const isOwnedElsewhere = row.ownerInstance == null || row.ownerInstance !== deps.instanceId;
  const relayed =
    isOwnedElsewhere && deps.relayStop
      ? await deps.relayStop({ room, recordingId: row.id }).catch((error: unknown) => {
          deps.logger.warn({ err: error, recordingId: row.id }, 'recording stop relay failed');
          return false;
        })
      : false;
  if (!relayed) {
    deps.logger.warn(
      { room, recordingId: row.id, ownerInstance: row.ownerInstance },
      'no instance holds the recording',
    );
    await applyRecordingEvent(deps, room, row.id, 'fail', {
      failureReason: OWNER_GONE_REASON,
      endedAt: new Date(),
    });
  }
}

/**
 * Stops a recording: a participant stops their room's active one (hosts only), an integrator a
 * recording by id (NOT_FOUND when there is none). CONFLICT when it is not active. Answers with
 * `stopping`; the recorder holding it then moves it to `ready` (or `failed`).
 */
export async function stopRecording(
  deps: TRecordingDeps,
  actor: TRecordingControlActor,
  target: { room: string } | { recordingId: string },
): Promise<TRecordingState> {
  let room: string;
  let recordingId: string;
  if ('room' in target) {
    assertCanRecord(actor, target.room);
    const { id: roomId } = await findRoomOrThrow(deps.db, target.room);
    const latest = await findLatestRecording(deps.db, roomId);
    if (!latest) throw new AppError('CONFLICT', 'Nothing is being recorded.', { state: { state: 'idle' } });
    room = target.room;
    recordingId = latest.id;
  } else {
    const found = await deps.db.recording.findUnique({
      where: { id: target.recordingId },
      select: { id: true, room: { select: { slug: true } } },
    });
    if (!found) throw new AppError('NOT_FOUND', 'No such recording.');
    assertCanRecord(actor, found.room.slug);
    room = found.room.slug;
    recordingId = found.id;
  }
  const row = await applyRecordingEvent(deps, room, recordingId, 'stop');
  if (!row) {
    const current = await deps.db.recording.findUnique({
      where: { id: recordingId },
      select: { state: true },
    });
    throw new AppError('CONFLICT', `The recording is not active (${current?.state ?? 'gone'}).`, {
      state: current?.state ?? null,
    });
  }
  void routeStop(deps, room, row).catch((error: unknown) =>
    deps.logger.error({ err: error, recordingId }, 'recording stop routing failed'),
  );
  return toRecordingState(row);
}

/**
 * Finds active recordings of a process-bound recorder that no instance holds any more (its process
 * crashed or restarted) and fails them with OWNER_GONE_REASON, so nothing stays `recording` for
 * ever. Every instance runs it: a row only fails when neither this process nor any other instance
 * answers that it holds it, and the failure is a guarded transition (a second sweeper is a no-op).
 * Rows that changed recently are left alone: a start registers with its recorder at once, but a
 * stop may take a while to finalise the file after the recorder let go of it.
 */
export async function failOrphanedRecordings(
  deps: TRecordingDeps,
  options: {
    now?: Date;
    activeGraceMs?: number;
    stoppingGraceMs?: number;
    /** Only these rooms (tests: several clusters share one database there). */
    roomIds?: string[];
  } = {},
): Promise<number> {
  const { recorder } = deps;
  if (!recorder.owns) return 0;
  const now = (options.now ?? new Date()).getTime();
  const rows = await deps.db.recording.findMany({
    where: {
      ownerInstance: { not: null },
      ...(options.roomIds ? { roomId: { in: options.roomIds } } : {}),
      OR: [
        {
          state: { in: ['starting', 'recording'] },
          updatedAt: { lt: new Date(now - (options.activeGraceMs ?? 60_000)) },
        },
        { state: 'stopping', updatedAt: { lt: new Date(now - (options.stoppingGraceMs ?? 600_000)) } },
      ],
    },
    select: { id: true, ownerInstance: true, room: { select: { slug: true } } },
    take: 100,
  });
  let failed = 0;
  for (const row of rows) {
    if (recorder.owns(row.id)) continue;
    const isHeldElsewhere = deps.askHeld ? await deps.askHeld(row.id) : false;
    if (isHeldElsewhere) continue;
    deps.logger.warn(
      { recordingId: row.id, room: row.room.slug, ownerInstance: row.ownerInstance },
      'active recording held by no instance: failed',
    );
    const moved = await applyRecordingEvent(deps, row.room.slug, row.id, 'fail', {
      failureReason: OWNER_GONE_REASON,
      endedAt: new Date(),
    });
    if (moved) failed++;
  }
  return failed;
}
