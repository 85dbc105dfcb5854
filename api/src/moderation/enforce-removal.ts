import type { Db } from '../db/client';
import type { TRoomAdmin } from '../livekit/room-admin';
import { getMemberDecision } from './room-members';

/**
 * LiveKit cannot revoke a token it already accepted, so a removed participant reusing an old
 * token could rejoin the SFU. The LiveKit webhook route calls this on `participant_joined`: a
 * participant removed from the current meeting is disconnected again at once. Returns whether it was.
 */
export async function enforceRemoval(
  deps: { db: Db; roomAdmin: TRoomAdmin },
  roomSlug: string,
  identity: string,
): Promise<boolean> {
  const room = await deps.db.room.findUnique({ where: { slug: roomSlug }, select: { id: true } });
  if (!room) return false;
  const decision = await getMemberDecision(deps.db, room.id, identity);
  if (!decision.isRemoved) return false;
  await deps.roomAdmin.removeParticipant(roomSlug, identity).catch(() => undefined);
  return true;
}
