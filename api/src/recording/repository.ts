import type { Db, Prisma } from '../db/client';
import type { TRecordingRow, TStoredRecordingState } from './state-machine';

const SELECT = {
  id: true,
  state: true,
  startedBy: true,
  startedByName: true,
  failureReason: true,
  updatedAt: true,
} as const;

type Tx = Prisma.TransactionClient | Db;

export function findLatestRecording(db: Tx, roomId: string): Promise<TRecordingRow | null> {
  return db.recording.findFirst({ where: { roomId }, orderBy: { startedAt: 'desc' }, select: SELECT });
}

/** Serialises recording transitions of one room across instances (row lock until commit). */
export async function lockRoom(tx: Prisma.TransactionClient, roomId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Room" WHERE id = ${roomId}::uuid FOR UPDATE`;
}

export function insertRecording(
  tx: Tx,
  data: { roomId: string; startedBy: string; startedByName: string },
): Promise<TRecordingRow> {
  return tx.recording.create({ data: { ...data, state: 'starting' }, select: SELECT });
}

export function updateRecordingState(
  db: Tx,
  id: string,
  state: TStoredRecordingState,
  extra: { failureReason?: string; filePath?: string; sizeBytes?: bigint; endedAt?: Date } = {},
): Promise<TRecordingRow> {
  return db.recording.update({ where: { id }, data: { state, ...extra }, select: SELECT });
}
