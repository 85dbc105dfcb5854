/**
 * LiveKit Egress progress → recording state. livekit-server sends `egress_started`,
 * `egress_updated` and `egress_ended` webhooks (verified by the web route); each carries the
 * EgressInfo whose status drives the same guarded transitions as the realtime control flow, so a
 * duplicate or late event is refused by the state machine instead of moving anything twice.
 */
import { type EgressInfo, EgressStatus, type WebhookEvent } from 'livekit-server-sdk';
import { z } from 'zod';
import type { Db } from '../db/client';
import type { Logger } from '../logger';
import { applyRecordingEvent } from './control-recording';
import type { TRecordedParticipant, TRecordingFile } from './recorder';
import type { TRecordingState } from './schemas';
import type { TRecordingEvent } from './state-machine';

export const EGRESS_WEBHOOK_EVENTS = ['egress_started', 'egress_updated', 'egress_ended'] as const;

export function isEgressWebhook(event: Pick<WebhookEvent, 'event'>): boolean {
  return (EGRESS_WEBHOOK_EVENTS as readonly string[]).includes(event.event);
}

/** Egress times and durations are int64 nanoseconds; kept to the millisecond. */
export function nanosToSeconds(nanos: bigint): number {
  return Number(nanos / 1_000_000n) / 1000;
}

export function isEgressFailed(status: EgressStatus): boolean {
  return (
    status === EgressStatus.EGRESS_FAILED ||
    status === EgressStatus.EGRESS_ABORTED ||
    status === EgressStatus.EGRESS_LIMIT_REACHED
  );
}

const FALLBACK_REASONS: Partial<Record<EgressStatus, string>> = {
  [EgressStatus.EGRESS_FAILED]: 'LiveKit Egress failed.',
  [EgressStatus.EGRESS_ABORTED]: 'LiveKit Egress aborted the recording.',
  [EgressStatus.EGRESS_LIMIT_REACHED]: 'LiveKit Egress reached its time limit.',
};

/** The egress' own error text (e.g. "Start signal not received"), bounded, or a generic one per status. */
export function egressFailureReason(info: Pick<EgressInfo, 'status' | 'error'>): string {
  const error = info.error.trim().slice(0, 300);
  return error || (FALLBACK_REASONS[info.status] ?? 'LiveKit Egress failed.');
}

/**
 * The file part of an EgressInfo as the worker reported it. Numbers from outside are checked:
 * a negative or absurd size/duration is dropped rather than stored.
 */
const ZEgressFile = z.object({
  location: z.string().max(2048),
  filename: z.string().max(2048),
  size: z.bigint().nonnegative(),
  duration: z.bigint().nonnegative(),
});

/**
 * Where the file is (the worker's path for file output, the object URL for S3), its size and
 * its media duration in seconds.
 */
export function egressFileOf(info: Pick<EgressInfo, 'fileResults' | 'result'>): TRecordingFile {
  const raw = info.fileResults[0] ?? (info.result.case === 'file' ? info.result.value : undefined);
  const parsed = ZEgressFile.safeParse(raw);
  if (!parsed.success) return {};
  const file = parsed.data;
  const filePath = file.location || file.filename;
  return {
    ...(filePath ? { filePath } : {}),
    ...(file.size > 0n ? { sizeBytes: file.size } : {}),
    ...(file.duration > 0n ? { durationSeconds: nanosToSeconds(file.duration) } : {}),
  };
}

export interface TEgressTransition {
  event: TRecordingEvent;
  extra?: TRecordingFile & { failureReason?: string; endedAt?: Date };
}

/**
 * What an egress status means for the recording, in order: STARTING/ACTIVE → started;
 * ENDING → stop; COMPLETE → stop then stopped with the file; FAILED/ABORTED/LIMIT_REACHED →
 * fail with the egress' error. (A limit-reached egress may have written a partial file; the
 * recording still counts as failed, with the reason saying why.)
 */
export function egressTransitions(info: EgressInfo): TEgressTransition[] {
  const endedAt = info.endedAt > 0n ? new Date(Number(info.endedAt / 1_000_000n)) : new Date();
  switch (info.status) {
    case EgressStatus.EGRESS_STARTING:
    case EgressStatus.EGRESS_ACTIVE:
      return [{ event: 'started' }];
    case EgressStatus.EGRESS_ENDING:
      return [{ event: 'stop' }];
    case EgressStatus.EGRESS_COMPLETE:
      return [{ event: 'stop' }, { event: 'stopped', extra: { ...egressFileOf(info), endedAt } }];
    case EgressStatus.EGRESS_FAILED:
    case EgressStatus.EGRESS_ABORTED:
    case EgressStatus.EGRESS_LIMIT_REACHED:
      return [{ event: 'fail', extra: { failureReason: egressFailureReason(info), endedAt } }];
    default:
      return [];
  }
}

/** LiveKit Egress joins rooms as a participant named after the egress (`EG_…`); it is not a person. */
const EGRESS_IDENTITY = /^EG_/;

/**
 * Who was in the room while it was recorded. Egress reports no participants, so they come from
 * the attendance LiveKit's participant webhooks keep: everyone present at some point between
 * `from` and `to`, once each, in order of arrival.
 */
export async function attendeesDuring(
  db: Db,
  roomId: string,
  from: Date,
  to: Date,
): Promise<TRecordedParticipant[]> {
  const rows = await db.attendance.findMany({
    where: { roomId, joinedAt: { lte: to }, OR: [{ leftAt: null }, { leftAt: { gte: from } }] },
    orderBy: { joinedAt: 'asc' },
    select: { identity: true, displayName: true },
  });
  const seen = new Map<string, TRecordedParticipant>();
  for (const row of rows) {
    if (!EGRESS_IDENTITY.test(row.identity) && !seen.has(row.identity)) {
      seen.set(row.identity, { identity: row.identity, name: row.displayName });
    }
  }
  return [...seen.values()];
}

export interface TEgressWebhookDeps {
  db: Db;
  logger: Logger;
  /** Tells the room (the web process relays to the realtime server, which broadcasts). */
  publish: (room: string, state: TRecordingState) => void;
}

/** `applied`: the row moved; `unchanged`: a duplicate or stale event; `ignored`: not ours. */
export type TEgressWebhookOutcome = 'applied' | 'unchanged' | 'ignored';

/**
 * Applies one egress webhook to the recording that holds its egress id. Unknown egress ids
 * (egress started by someone else, or a recording deleted since) are ignored.
 */
export async function applyEgressWebhook(
  deps: TEgressWebhookDeps,
  event: WebhookEvent,
): Promise<TEgressWebhookOutcome> {
  const info = event.egressInfo;
  if (!isEgressWebhook(event) || !info?.egressId) return 'ignored';
  return applyEgressInfo(deps, info, event.event);
}

/**
 * Applies an EgressInfo (from a webhook, or from the API when reconciling) to the recording that
 * holds its egress id. `source` names where it came from, for the logs.
 */
export async function applyEgressInfo(
  deps: TEgressWebhookDeps,
  info: EgressInfo,
  source: string,
): Promise<TEgressWebhookOutcome> {
  const recording = await deps.db.recording.findUnique({
    where: { egressId: info.egressId },
    select: { id: true, roomId: true, startedAt: true, filePath: true, room: { select: { slug: true } } },
  });
  if (!recording) {
    deps.logger.debug({ source, egressId: info.egressId }, 'egress update for no recording: ignored');
    return 'ignored';
  }
  const room = recording.room.slug;
  let applied = false;
  for (const step of egressTransitions(info)) {
    const extra = { ...step.extra };
    if (step.event === 'stopped') {
      extra.participants = await attendeesDuring(
        deps.db,
        recording.roomId,
        recording.startedAt,
        extra.endedAt ?? new Date(),
      );
    }
    if (await applyRecordingEvent(deps, room, recording.id, step.event, extra)) applied = true;
  }
  if (!applied && info.status === EgressStatus.EGRESS_COMPLETE && recording.filePath === null) {
    // stop() gave up waiting for this webhook and the row went `ready` without a file: the
    // file still belongs on it. Only while the row has none, so a redelivery changes nothing.
    const file = egressFileOf(info);
    if (file.filePath) {
      const { count } = await deps.db.recording.updateMany({
        where: { id: recording.id, state: 'ready', filePath: null },
        data: {
          filePath: file.filePath,
          ...(file.sizeBytes !== undefined ? { sizeBytes: file.sizeBytes } : {}),
          ...(file.durationSeconds !== undefined ? { durationSeconds: file.durationSeconds } : {}),
        },
      });
      applied = count > 0;
    }
  }
  deps.logger.debug(
    {
      source,
      egressId: info.egressId,
      recordingId: recording.id,
      status: EgressStatus[info.status],
      applied,
    },
    'egress update',
  );
  return applied ? 'applied' : 'unchanged';
}
