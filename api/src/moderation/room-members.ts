import type { Db } from '../db/client';
import { AppError } from '../errors';
import { type TRole, ZRole } from '../tokens/policy';

/** A removal lasts for the meeting it happened in; without a recorded meeting, this long. */
export const REMOVAL_FALLBACK_MS = 12 * 3600_000;

export interface TMemberDecision {
  /** Role set by a host for this meeting, overriding the one the token or session says. */
  role: TRole | null;
  isAdmitted: boolean;
  isRemoved: boolean;
}

const NONE: TMemberDecision = { role: null, isAdmitted: false, isRemoved: false };

/** The meeting currently running in the room (from LiveKit webhooks), if any. */
export async function currentMeetingId(db: Db, roomId: string): Promise<string | null> {
  const meeting = await db.meeting.findFirst({
    where: { roomId, endedAt: null },
    orderBy: { startedAt: 'desc' },
    select: { id: true },
  });
  return meeting?.id ?? null;
}

/** What hosts decided about `identity` in this room (role change, admission, removal). */
export async function getMemberDecision(db: Db, roomId: string, identity: string): Promise<TMemberDecision> {
  const row = await db.roomMember.findUnique({ where: { roomId_identity: { roomId, identity } } });
  if (!row) return NONE;
  let isRemoved = false;
  if (row.removedAt) {
    if (row.removedMeetingId) {
      const meeting = await db.meeting.findUnique({
        where: { id: row.removedMeetingId },
        select: { endedAt: true },
      });
      isRemoved = meeting !== null && meeting.endedAt === null;
    } else {
      isRemoved = Date.now() - row.removedAt.getTime() < REMOVAL_FALLBACK_MS;
    }
  }
  const role = ZRole.safeParse(row.role);
  return { role: role.success ? role.data : null, isAdmitted: row.admittedAt !== null, isRemoved };
}

/** Refuses an identity a host removed from the current meeting (token route, REST, realtime handshake). */
export async function assertNotRemoved(db: Db, roomId: string, identity: string): Promise<TMemberDecision> {
  const decision = await getMemberDecision(db, roomId, identity);
  if (decision.isRemoved) throw new AppError('FORBIDDEN', 'You were removed from this meeting.');
  return decision;
}

export async function markRemoved(db: Db, roomId: string, identity: string): Promise<void> {
  const removedMeetingId = await currentMeetingId(db, roomId);
  const data = { removedAt: new Date(), removedMeetingId, admittedAt: null };
  await db.roomMember.upsert({
    where: { roomId_identity: { roomId, identity } },
    create: { roomId, identity, ...data },
    update: data,
  });
}

export async function clearRemoved(db: Db, roomId: string, identity: string): Promise<void> {
  await db.roomMember.updateMany({
    where: { roomId, identity },
    data: { removedAt: null, removedMeetingId: null },
  });
}

export async function setMemberRole(db: Db, roomId: string, identity: string, role: TRole): Promise<void> {
  await db.roomMember.upsert({
    where: { roomId_identity: { roomId, identity } },
    create: { roomId, identity, role },
    update: { role },
  });
}

export async function restoreMemberRole(
  db: Db,
  roomId: string,
  identity: string,
  role: TRole | null,
): Promise<void> {
  await db.roomMember.updateMany({ where: { roomId, identity }, data: { role } });
}

export async function markAdmitted(db: Db, roomId: string, identity: string): Promise<void> {
  const data = { admittedAt: new Date() };
  await db.roomMember.upsert({
    where: { roomId_identity: { roomId, identity } },
    create: { roomId, identity, ...data },
    update: data,
  });
}

/** A new meeting starts from scratch: no role changes, admissions or removals carry over. */
export async function clearMembers(db: Db, roomId: string): Promise<void> {
  await db.roomMember.deleteMany({ where: { roomId } });
}
