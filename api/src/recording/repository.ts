import type { Db, Prisma } from '../db/client';
import type { TRecordedParticipant } from './recorder';
import type { TRecordingRow, TStoredRecordingState } from './state-machine';

const SELECT = {
  id: true,
  state: true,
  startedBy: true,
  startedByName: true,
  failureReason: true,
  ownerInstance: true,
  updatedAt: true,
} as const;

type Tx = Prisma.TransactionClient | Db;

export function findLatestRecording(db: Tx, roomId: string): Promise<TRecordingRow | null> {
  return db.recording.findFirst({ where: { roomId }, orderBy: { startedAt: 'desc' }, select: SELECT });
}

/** The latest recording of each of `roomIds` (rooms that never recorded are absent). */
export async function findLatestRecordings(
  db: Tx,
  roomIds: string[],
): Promise<Map<string, TRecordingRow & { startedAt: Date }>> {
  if (roomIds.length === 0) return new Map();
  // DISTINCT ON walks the (roomId, startedAt) index once per room instead of reading every row.
  const rows = await db.$queryRaw<(TRecordingRow & { roomId: string; startedAt: Date })[]>`
    SELECT DISTINCT ON ("roomId") "roomId", id, state, "startedBy", "startedByName", "failureReason",
           "ownerInstance", "updatedAt", "startedAt"
    FROM "Recording" WHERE "roomId" = ANY(${roomIds}::uuid[])
    ORDER BY "roomId", "startedAt" DESC`;
  return new Map(rows.map(({ roomId, ...row }) => [roomId, row]));
}

/** Serialises recording transitions of one room across instances (row lock until commit). */
export async function lockRoom(tx: Prisma.TransactionClient, roomId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Room" WHERE id = ${roomId}::uuid FOR UPDATE`;
}

export function insertRecording(
  tx: Tx,
  data: { roomId: string; startedBy: string; startedByName: string; ownerInstance: string | null },
): Promise<TRecordingRow> {
  return tx.recording.create({ data: { ...data, state: 'starting' }, select: SELECT });
}

/** Columns a transition may fill besides the state. */
export interface TRecordingUpdate {
  failureReason?: string;
  filePath?: string;
  sizeBytes?: bigint;
  durationSeconds?: number;
  participants?: TRecordedParticipant[];
  endedAt?: Date;
  egressId?: string;
}

export function updateRecordingState(
  db: Tx,
  id: string,
  state: TStoredRecordingState,
  extra: TRecordingUpdate = {},
): Promise<TRecordingRow> {
  const { participants, ...rest } = extra;
  return db.recording.update({
    where: { id },
    data: {
      state,
      ...rest,
      ...(participants
        ? { participants: participants.map((p) => ({ identity: p.identity, name: p.name })) }
        : {}),
    },
    select: SELECT,
  });
}

/** Everything the REST API shows of a recording. */
export const RECORDING_VIEW_SELECT = {
  id: true,
  state: true,
  startedBy: true,
  startedByName: true,
  failureReason: true,
  filePath: true,
  sizeBytes: true,
  durationSeconds: true,
  participants: true,
  startedAt: true,
  endedAt: true,
  room: { select: { slug: true } },
} as const;

export type TRecordingRecord = Prisma.RecordingGetPayload<{ select: typeof RECORDING_VIEW_SELECT }>;

export function findRecordingRecord(db: Tx, id: string): Promise<TRecordingRecord | null> {
  return db.recording.findUnique({ where: { id }, select: RECORDING_VIEW_SELECT });
}

/** Newest first; the cursor is the last id of the previous page. */
export async function listRecordingRecords(
  db: Tx,
  query: { cursor?: string; limit: number; room?: string; state?: TStoredRecordingState },
): Promise<{ records: TRecordingRecord[]; nextCursor: string | null }> {
  const rows = await db.recording.findMany({
    where: {
      ...(query.room ? { room: { slug: query.room } } : {}),
      ...(query.state ? { state: query.state } : {}),
    },
    orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
    select: RECORDING_VIEW_SELECT,
  });
  const records = rows.slice(0, query.limit);
  return { records, nextCursor: rows.length > query.limit ? records[records.length - 1]!.id : null };
}

/** Finished states: nothing records into them any more, so their file and row may go. */
export const FINISHED_STATES: TStoredRecordingState[] = ['ready', 'failed'];

/** Deletes the row only while it is finished; answers whether it did. */
export async function deleteFinishedRecording(db: Tx, id: string): Promise<boolean> {
  const { count } = await db.recording.deleteMany({ where: { id, state: { in: FINISHED_STATES } } });
  return count > 0;
}
