import type { Db } from '../db/client';
import { getRoomQualities, type TQualityOptions } from '../quality/room-quality';
import { latestAdminEventId } from './events';

export interface TLiveRoom {
  slug: string;
  displayName: string;
  locked: boolean;
  meetingId: string;
  startedAt: string;
  /** Some participant has been `poor`/`lost` for longer than the threshold (QUALITY_POOR_FLAG_SECONDS). */
  qualityFlagged: boolean;
  participants: {
    identity: string;
    name: string;
    role: string;
    joinedAt: string;
    /** Latest reported connection quality this meeting, if any. */
    quality: { quality: string; since: string } | null;
  }[];
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
  return {
    cursor: cursor.toString(),
    rooms: meetings.map((m) => ({
      slug: m.room.slug,
      displayName: m.room.displayName,
      locked: m.room.locked,
      meetingId: m.id,
      startedAt: m.startedAt.toISOString(),
      qualityFlagged: qualities.get(m.room.slug)?.flagged ?? false,
      participants: m.attendances.map((a) => ({
        identity: a.identity,
        name: a.displayName,
        role: a.role,
        joinedAt: a.joinedAt.toISOString(),
        quality: qualities.get(m.room.slug)?.participants[a.identity] ?? null,
      })),
    })),
  };
}
