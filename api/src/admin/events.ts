import type { Db, Prisma } from '../db/client';
import type { TAdminEventType } from './event-types';

/**
 * The admin live feed. Producers append inside their own transaction (so an event exists exactly
 * when its change does); `pg_notify` fires at commit and wakes every web instance's hub.
 */
export const ADMIN_EVENT_CHANNEL = 'convene_admin_events';
/** Serialises appends so ids commit in id order: a reader's `id > cursor` never skips a late commit. */
const APPEND_LOCK_KEY = 0x61646d6e; // "admn"

export { ADMIN_EVENT_TYPES, type TAdminEventType } from './event-types';

export interface TAdminEvent {
  /** Decimal string of the bigserial id; the SSE `id:`. */
  id: string;
  type: TAdminEventType;
  room: string | null;
  at: string;
  data: Record<string, unknown>;
}

type Tx = Prisma.TransactionClient;

/** Takes the append lock for the rest of `tx` (re-entrant: appendAdminEvent takes it again). */
export async function lockAdminFeed(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${APPEND_LOCK_KEY}::bigint)`;
}

export async function appendAdminEvent(
  tx: Tx,
  type: TAdminEventType,
  room: string | null,
  data: Record<string, unknown>,
): Promise<void> {
  await lockAdminFeed(tx);
  await tx.adminEvent.create({ data: { type, roomSlug: room, payload: data as Prisma.InputJsonValue } });
  await tx.$executeRaw`SELECT pg_notify(${ADMIN_EVENT_CHANNEL}, '')`;
}

/** Appends in a transaction of its own (for producers that have no transaction). */
export function publishAdminEvent(
  db: Db,
  type: TAdminEventType,
  room: string | null,
  data: Record<string, unknown>,
) {
  return db.$transaction((tx) => appendAdminEvent(tx, type, room, data));
}

function toEvent(row: {
  id: bigint;
  type: string;
  roomSlug: string | null;
  payload: unknown;
  createdAt: Date;
}) {
  return {
    id: row.id.toString(),
    type: row.type as TAdminEventType,
    room: row.roomSlug,
    at: row.createdAt.toISOString(),
    data: (row.payload ?? {}) as Record<string, unknown>,
  } satisfies TAdminEvent;
}

/** Events with id > `after`, ascending. */
export async function readAdminEventsAfter(db: Db, after: bigint, limit = 500): Promise<TAdminEvent[]> {
  const rows = await db.adminEvent.findMany({
    where: { id: { gt: after } },
    orderBy: { id: 'asc' },
    take: limit,
  });
  return rows.map(toEvent);
}

export async function latestAdminEventId(db: Db): Promise<bigint> {
  const row = await db.adminEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });
  return row?.id ?? 0n;
}

export async function listRecentAdminEvents(db: Db, limit = 50): Promise<TAdminEvent[]> {
  const rows = await db.adminEvent.findMany({ orderBy: { id: 'desc' }, take: limit });
  return rows.map(toEvent);
}

/** Parses a Last-Event-ID / `after` value; anything else means "from now". */
export function parseEventCursor(raw: string | null | undefined): bigint | null {
  if (!raw || !/^\d{1,19}$/.test(raw.trim())) return null;
  return BigInt(raw.trim());
}
