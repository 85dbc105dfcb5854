import { appendAdminEvent, lockAdminFeed } from '../admin/events';
import type { Db } from '../db/client';
import { isPoorQuality } from './schemas';

/** Default of QUALITY_POOR_FLAG_SECONDS: how long a participant must stay poor/lost before their room is flagged. */
export const DEFAULT_POOR_QUALITY_MS = 30_000;

export interface TParticipantQuality {
  quality: string;
  /** When this quality was first reported (the latest change). */
  since: string;
}

export interface TRoomQuality {
  /** Some present participant has been `poor`/`lost` for longer than the threshold. */
  flagged: boolean;
  /** Latest quality of each present participant who reported one this meeting. */
  participants: Record<string, TParticipantQuality>;
}

export interface TQualityOptions {
  poorQualityMs?: number;
  now?: Date;
}

/**
 * The quality state of live rooms: each present participant's latest sample since their meeting
 * started, and whether the room is flagged. One query for all rooms.
 */
export async function getRoomQualities(
  db: Db,
  rooms: { slug: string; since: Date; identities: string[] }[],
  { poorQualityMs = DEFAULT_POOR_QUALITY_MS, now = new Date() }: TQualityOptions = {},
): Promise<Map<string, TRoomQuality>> {
  const result = new Map<string, TRoomQuality>();
  if (rooms.length === 0) return result;
  const earliest = new Date(Math.min(...rooms.map((r) => r.since.getTime())));
  const samples = await db.qualitySample.findMany({
    where: { roomSlug: { in: rooms.map((r) => r.slug) }, createdAt: { gte: earliest } },
    orderBy: { id: 'asc' },
    select: { roomSlug: true, identity: true, quality: true, createdAt: true },
  });
  for (const room of rooms) {
    const present = new Set(room.identities);
    const participants: Record<string, TParticipantQuality> = {};
    for (const s of samples) {
      if (s.roomSlug !== room.slug || s.createdAt < room.since || !present.has(s.identity)) continue;
      participants[s.identity] = { quality: s.quality, since: s.createdAt.toISOString() };
    }
    const flagged = Object.values(participants).some(
      (p) => isPoorQuality(p.quality) && now.getTime() - Date.parse(p.since) > poorQualityMs,
    );
    result.set(room.slug, { flagged, participants });
  }
  return result;
}

/** The live meeting of `room` with its present participants, or null. */
async function liveRoomOf(db: Db, room: string) {
  const meeting = await db.meeting.findFirst({
    where: { endedAt: null, room: { slug: room } },
    orderBy: { startedAt: 'desc' },
    select: { startedAt: true, attendances: { where: { leftAt: null }, select: { identity: true } } },
  });
  return meeting
    ? { slug: room, since: meeting.startedAt, identities: meeting.attendances.map((a) => a.identity) }
    : null;
}

/**
 * Recomputes `room`'s poor-quality flag and, when it differs from the last one announced, appends
 * a `room.quality` admin event `{ flagged }` so dashboards update live. Safe to call from several
 * instances at once: the comparison runs under the feed's append lock.
 */
export async function evaluateQualityFlag(
  db: Db,
  room: string,
  options: TQualityOptions = {},
): Promise<{ flagged: boolean; changed: boolean }> {
  const live = await liveRoomOf(db, room);
  const flagged = live ? (await getRoomQualities(db, [live], options)).get(room)!.flagged : false;
  return db.$transaction(async (tx) => {
    await lockAdminFeed(tx);
    const last = await tx.adminEvent.findFirst({
      where: { type: 'room.quality', roomSlug: room },
      orderBy: { id: 'desc' },
      select: { payload: true },
    });
    const wasFlagged = (last?.payload as { flagged?: boolean } | null)?.flagged === true;
    if (wasFlagged === flagged) return { flagged, changed: false };
    await appendAdminEvent(tx, 'room.quality', room, { flagged });
    return { flagged, changed: true };
  });
}

/** Quality changes of `room` since `since` (its live meeting's start), grouped by participant, oldest first. */
export async function getQualityHistory(
  db: Db,
  room: string,
  since: Date,
): Promise<Record<string, { quality: string; at: string }[]>> {
  const rows = await db.qualitySample.findMany({
    where: { roomSlug: room, createdAt: { gte: since } },
    orderBy: { id: 'desc' },
    take: 1000,
    select: { identity: true, quality: true, createdAt: true },
  });
  const history: Record<string, { quality: string; at: string }[]> = {};
  for (const r of rows.reverse()) {
    const list = history[r.identity] ?? [];
    list.push({ quality: r.quality, at: r.createdAt.toISOString() });
    history[r.identity] = list;
  }
  return history;
}
