import type { Db } from '../db/client';
import { latestAdminEventId } from './events';

export interface TLiveRoom {
  slug: string;
  displayName: string;
  locked: boolean;
  meetingId: string;
  startedAt: string;
  participants: { identity: string; name: string; role: string; joinedAt: string }[];
}

/**
 * Rooms with a running meeting (from LiveKit webhooks), and the event-log cursor the snapshot is
 * consistent with: a client subscribes with `after = cursor` and misses nothing in between.
 */
export async function getLiveOverview(db: Db): Promise<{ cursor: string; rooms: TLiveRoom[] }> {
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
  return {
    cursor: cursor.toString(),
    rooms: meetings.map((m) => ({
      slug: m.room.slug,
      displayName: m.room.displayName,
      locked: m.room.locked,
      meetingId: m.id,
      startedAt: m.startedAt.toISOString(),
      participants: m.attendances.map((a) => ({
        identity: a.identity,
        name: a.displayName,
        role: a.role,
        joinedAt: a.joinedAt.toISOString(),
      })),
    })),
  };
}
