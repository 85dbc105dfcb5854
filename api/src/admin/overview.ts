import type { Db } from '../db/client';
import { getRoomQualities, type TQualityOptions } from '../quality/room-quality';
import { findLatestRecordings } from '../recording/repository';
import type { TRecordingState } from '../recording/schemas';
import { type TRecordingRow, toRecordingState } from '../recording/state-machine';
import { latestAdminEventId } from './events';

export interface TLiveRoom {
  slug: string;
  displayName: string;
  locked: boolean;
  meetingId: string;
  startedAt: string;
  /** Some participant has been `poor`/`lost` for longer than the threshold (QUALITY_POOR_FLAG_SECONDS). */
  qualityFlagged: boolean;
  /** The room's recording state (`idle` when nothing is being recorded). */
  recording: TRecordingState;
  participants: {
    identity: string;
    name: string;
    role: string;
    joinedAt: string;
    /** Latest reported connection quality this meeting, if any. */
    quality: { quality: string; since: string } | null;
    /** Tracks this participant has live in the SFU (publishers have at least one). */
    tracks: TLiveTrack[];
  }[];
}

export interface TLiveTrack {
  sid: string;
  source: string;
  kind: string;
}

/**
 * Rooms with a running meeting (from LiveKit webhooks), and the event-log cursor the snapshot is
 * consistent with: a client subscribes with `after = cursor` and misses nothing in between.
 */
export async function getLiveOverview(
  db: Db,
  quality: TQualityOptions = {},
): Promise<{ cursor: string; rooms: TLiveRoom[] }> {
  // Cursor first: events after it may already be in the snapshot; applying them again is idempotent.
  const cursor = await latestAdminEventId(db);
  const meetings = await db.meeting.findMany({
    where: { endedAt: null },
    include: {
      room: { select: { slug: true, displayName: true, locked: true } },
      attendances: { where: { leftAt: null }, orderBy: { joinedAt: 'asc' } },
    },
    orderBy: { startedAt: 'desc' },
    take: 200,
  });
  const qualities = await getRoomQualities(
    db,
    meetings.map((m) => ({
      slug: m.room.slug,
      since: m.startedAt,
      identities: m.attendances.map((a) => a.identity),
    })),
    quality,
  );
  const [tracks, recordings] = await Promise.all([
    db.publishedTrack.findMany({
      where: { meetingId: { in: meetings.map((m) => m.id) }, unpublishedAt: null },
      select: { sid: true, source: true, kind: true, livekitParticipantSid: true },
      orderBy: { publishedAt: 'asc' },
    }),
    findLatestRecordings(
      db,
      meetings.map((m) => m.roomId),
    ),
  ]);
  const tracksBySid = new Map<string, TLiveTrack[]>();
  for (const { livekitParticipantSid, ...t } of tracks) {
    tracksBySid.set(livekitParticipantSid, [...(tracksBySid.get(livekitParticipantSid) ?? []), t]);
  }
  return {
    cursor: cursor.toString(),
    rooms: meetings.map((m) => ({
      slug: m.room.slug,
      displayName: m.room.displayName,
      locked: m.room.locked,
      meetingId: m.id,
      startedAt: m.startedAt.toISOString(),
      qualityFlagged: qualities.get(m.room.slug)?.flagged ?? false,
      recording: meetingRecordingState(recordings.get(m.roomId), m.startedAt),
      participants: m.attendances.map((a) => ({
        identity: a.identity,
        name: a.displayName,
        role: a.role,
        joinedAt: a.joinedAt.toISOString(),
        quality: qualities.get(m.room.slug)?.participants[a.identity] ?? null,
        tracks: tracksBySid.get(a.livekitParticipantSid) ?? [],
      })),
    })),
  };
}

/** A recording that failed before this meeting began is history, not this meeting's state. */
function meetingRecordingState(
  latest: (TRecordingRow & { startedAt: Date }) | undefined,
  meetingStartedAt: Date,
): TRecordingState {
  if (!latest || (latest.state === 'failed' && latest.startedAt < meetingStartedAt)) return { state: 'idle' };
  return toRecordingState(latest);
}
