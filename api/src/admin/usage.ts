import type { Db } from '../db/client';
import { getRoomOrThrow } from '../rooms/room-service';

/** Timestamps are stored as UTC `timestamp(3)`; this is "now" in the same terms. */
const NOW_UTC = `(now() AT TIME ZONE 'UTC')`;

export interface TDailyUsage {
  /** YYYY-MM-DD (UTC) */
  day: string;
  participantMinutes: number;
}

/**
 * Participant-minutes per UTC day for the last `days` days (today included, zero-filled): each
 * attendance counts the part of [joinedAt, leftAt or now] that falls in the day. (The FILTER
 * matters: GREATEST/LEAST ignore NULLs, so a day without attendance would otherwise count 1440.)
 */
export async function participantMinutesPerDay(db: Db, days: number): Promise<TDailyUsage[]> {
  const rows = await db.$queryRawUnsafe<{ day: Date; minutes: number | null }[]>(
    `SELECT d AS day,
            COALESCE(SUM(EXTRACT(EPOCH FROM (
              LEAST(COALESCE(a."leftAt", ${NOW_UTC}), d + interval '1 day') - GREATEST(a."joinedAt", d)
            )) / 60) FILTER (WHERE a.id IS NOT NULL), 0)::float8 AS minutes
       FROM generate_series(date_trunc('day', ${NOW_UTC}) - make_interval(days => $1::int - 1),
                            date_trunc('day', ${NOW_UTC}), interval '1 day') AS d
       LEFT JOIN "Attendance" a
         ON a."joinedAt" < d + interval '1 day' AND COALESCE(a."leftAt", ${NOW_UTC}) > d
      GROUP BY d ORDER BY d`,
    days,
  );
  return rows.map((r) => ({
    day: new Date(r.day).toISOString().slice(0, 10),
    participantMinutes: Math.round(Number(r.minutes ?? 0) * 10) / 10,
  }));
}

export interface TTopRoom {
  slug: string;
  displayName: string;
  sessions: number;
  participantMinutes: number;
  peakParticipants: number;
}

/** Rooms ranked by participant-minutes over the last `days` days. */
export async function topRooms(db: Db, days: number, limit = 10): Promise<TTopRoom[]> {
  const rows = await db.$queryRawUnsafe<
    { slug: string; displayName: string; sessions: bigint; minutes: number; peak: number | null }[]
  >(
    `SELECT r.slug, r."displayName",
            COUNT(DISTINCT m.id) AS sessions,
            COALESCE(SUM(EXTRACT(EPOCH FROM (COALESCE(a."leftAt", ${NOW_UTC}) - a."joinedAt")) / 60), 0)::float8 AS minutes,
            MAX(m."peakParticipants") AS peak
       FROM "Room" r
       JOIN "Meeting" m ON m."roomId" = r.id AND m."startedAt" >= ${NOW_UTC} - make_interval(days => $1::int)
       LEFT JOIN "Attendance" a ON a."meetingId" = m.id
      GROUP BY r.id
      ORDER BY minutes DESC, sessions DESC
      LIMIT $2`,
    days,
    limit,
  );
  return rows.map((r) => ({
    slug: r.slug,
    displayName: r.displayName,
    sessions: Number(r.sessions),
    participantMinutes: Math.round(Number(r.minutes) * 10) / 10,
    peakParticipants: Number(r.peak ?? 0),
  }));
}

export interface TSessionSummary {
  id: string;
  room: string;
  startedAt: string;
  endedAt: string | null;
  durationSeconds: number;
  peakParticipants: number;
  attendees: number;
  attendance: { identity: string; name: string; role: string; joinedAt: string; leftAt: string | null }[];
}

/** Past and live sessions, newest first; per room when `room` is given. */
export async function listSessions(
  db: Db,
  query: { room?: string; limit?: number },
): Promise<TSessionSummary[]> {
  const roomFilter = query.room ? { roomId: (await getRoomOrThrow(db, query.room)).id } : {};
  const meetings = await db.meeting.findMany({
    where: roomFilter,
    include: { room: { select: { slug: true } }, attendances: { orderBy: { joinedAt: 'asc' } } },
    orderBy: { startedAt: 'desc' },
    take: Math.min(query.limit ?? 20, 100),
  });
  return meetings.map((m) => ({
    id: m.id,
    room: m.room.slug,
    startedAt: m.startedAt.toISOString(),
    endedAt: m.endedAt?.toISOString() ?? null,
    durationSeconds: Math.round(((m.endedAt ?? new Date()).getTime() - m.startedAt.getTime()) / 1000),
    peakParticipants: m.peakParticipants,
    attendees: new Set(m.attendances.map((a) => a.identity)).size,
    attendance: m.attendances.map((a) => ({
      identity: a.identity,
      name: a.displayName,
      role: a.role,
      joinedAt: a.joinedAt.toISOString(),
      leftAt: a.leftAt?.toISOString() ?? null,
    })),
  }));
}
