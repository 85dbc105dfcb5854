import type { Db } from '../db/client';
import { AppError } from '../errors';
import type { TRole } from '../tokens/policy';

/**
 * Whether `identity` is in the room's running meeting by LiveKit's account: an open Attendance
 * row (participant_joined … participant_left webhooks) of a meeting not ended.
 *
 * This is the source of truth for the token routes because it is LiveKit's own record of who
 * holds a media connection, it lives in the database every process reads (the web app has no
 * presence store), and it survives realtime restarts. A tab refreshes its token while it is
 * connected (`startTokenRefresh` runs inside the LiveKit room), so its row is open; LiveKit keeps
 * it open through short network drops (`departure_timeout`), as the realtime grace period does.
 * A participant who left, or was never let in, has no open row: a locked room stays closed to them.
 */
export async function isInMeeting(db: Db, roomId: string, identity: string): Promise<boolean> {
  const open = await db.attendance.findFirst({
    where: { roomId, identity, leftAt: null, meeting: { endedAt: null } },
    select: { id: true },
  });
  return open !== null;
}

/**
 * A locked room admits nobody new: non-hosts are refused (ROOM_LOCKED, 423) unless they are
 * already inside, so people in the meeting can still refresh their token and reconnect. `isPresent`
 * adds the caller's own view of "inside" (the realtime service: its presence, grace period included).
 */
export async function assertMayEnter(
  db: Db,
  room: { id: string; locked: boolean },
  identity: string,
  role: TRole,
  isPresent?: () => Promise<boolean>,
): Promise<void> {
  if (!room.locked || role === 'host') return;
  if (isPresent && (await isPresent())) return;
  if (await isInMeeting(db, room.id, identity)) return;
  throw new AppError('ROOM_LOCKED');
}
