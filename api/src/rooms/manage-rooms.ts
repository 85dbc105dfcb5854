import type { Db, Prisma } from '../db/client';
import { AppError } from '../errors';
import { isUniqueViolation, type TRoomRecord } from './repository';
import { generateRoomSlug } from './slug';

/** Room settings an operator (REST API) may set; all optional, with the schema's defaults. */
export interface TRoomSettings {
  displayName?: string;
  maxParticipants?: number;
  emptyTimeoutSec?: number;
  lobbyEnabled?: boolean;
  recordingAllowed?: boolean;
  locked?: boolean;
  metadata?: Record<string, unknown> | null;
}

function toData(settings: TRoomSettings) {
  const { metadata, ...rest } = settings;
  return {
    ...rest,
    ...(metadata === undefined
      ? {}
      : { metadata: metadata === null ? (null as never) : (metadata as Prisma.InputJsonObject) }),
  };
}

/** Creates a room without a host browser (hosts join with tokens). A taken name is CONFLICT. */
export async function createConfiguredRoom(
  db: Db,
  input: { slug?: string } & TRoomSettings,
): Promise<TRoomRecord> {
  const { slug, ...settings } = input;
  for (let attempt = 0; attempt < 5; attempt++) {
    const candidate = slug ?? generateRoomSlug();
    try {
      return await db.room.create({
        data: {
          ...toData(settings),
          slug: candidate,
          displayName: settings.displayName ?? candidate,
          hostSessionHash: null,
        },
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (slug) throw new AppError('CONFLICT', 'A room with this name already exists.');
    }
  }
  throw new AppError('INTERNAL', 'Could not allocate a room name.');
}

export async function updateRoomSettings(
  db: Db,
  slug: string,
  settings: TRoomSettings,
): Promise<TRoomRecord> {
  try {
    return await db.room.update({ where: { slug }, data: toData(settings) });
  } catch (error) {
    if ((error as { code?: string }).code === 'P2025') throw new AppError('ROOM_NOT_FOUND');
    throw error;
  }
}

/** Deletes the room and its history (meetings, attendance, chat). Ending the live SFU room is the caller's job. */
export async function deleteRoomRecord(db: Db, slug: string): Promise<void> {
  const { count } = await db.room.deleteMany({ where: { slug } });
  if (count === 0) throw new AppError('ROOM_NOT_FOUND');
}

/** Rooms newest first, cursor = id of the last room of the previous page; `active` = a meeting is running. */
export async function listRoomsPage(
  db: Db,
  query: { cursor?: string; limit: number; active?: boolean },
): Promise<{ rooms: TRoomRecord[]; nextCursor: string | null }> {
  const where =
    query.active === undefined
      ? {}
      : query.active
        ? { meetings: { some: { endedAt: null } } }
        : { meetings: { none: { endedAt: null } } };
  const rows = await db.room.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
  });
  const rooms = rows.slice(0, query.limit);
  return { rooms, nextCursor: rows.length > query.limit ? rooms[rooms.length - 1]!.id : null };
}

/** Ids of the given rooms that have a meeting running now. */
export async function activeRoomIds(db: Db, roomIds: string[]): Promise<Set<string>> {
  if (roomIds.length === 0) return new Set();
  const rows = await db.meeting.findMany({
    where: { roomId: { in: roomIds }, endedAt: null },
    select: { roomId: true },
    distinct: ['roomId'],
  });
  return new Set(rows.map((r) => r.roomId));
}
