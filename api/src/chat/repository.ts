import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import type { TChatMessage, TChatMessageKind } from './schemas';

/** A message to store; `seq`, `id` and `createdAt` are assigned by the database write. */
export interface TMessageDraft {
  roomId: string;
  senderIdentity: string;
  senderName: string;
  kind: TChatMessageKind;
  text: string;
  clientId: string;
}

interface TMessageRow {
  id: string;
  seq: number;
  senderIdentity: string;
  senderName: string;
  kind: string;
  body: string;
  clientId: string;
  createdAt: Date;
}

export function toChatMessage(row: TMessageRow): TChatMessage {
  return {
    id: row.id,
    seq: row.seq,
    kind: row.kind === 'system' ? 'system' : 'user',
    senderIdentity: row.senderIdentity,
    senderName: row.senderName,
    text: row.body,
    clientId: row.clientId,
    createdAt: row.createdAt.toISOString(),
  };
}

const dedupeKey = (senderIdentity: string, clientId: string) => `${senderIdentity}\u0000${clientId}`;

/** Messages already stored under these (sender, clientId) pairs, keyed by dedupeKey. */
async function findExisting(
  db: Db,
  roomId: string,
  drafts: TMessageDraft[],
): Promise<Map<string, TMessageRow>> {
  const rows = await db.$queryRaw<TMessageRow[]>`
    SELECT id, seq, "senderIdentity", "senderName", kind, body, "clientId", "createdAt"
    FROM "ChatMessage"
    WHERE "roomId" = ${roomId}::uuid
      AND ("senderIdentity", "clientId") IN (
        SELECT * FROM unnest(${drafts.map((d) => d.senderIdentity)}::text[], ${drafts.map((d) => d.clientId)}::text[])
      )`;
  return new Map(rows.map((r) => [dedupeKey(r.senderIdentity, r.clientId), r]));
}

/**
 * Stores new messages of one room in ONE statement: the room's counter is bumped by n under its
 * row lock and the rows take the n numbers in order, so seq is gapless and correct across any
 * number of writers and instances. The statement is atomic: on a unique violation nothing is
 * stored and no number is consumed.
 */
async function insertFresh(db: Db, roomId: string, drafts: TMessageDraft[]): Promise<TMessageRow[]> {
  const n = drafts.length;
  return db.$queryRaw<TMessageRow[]>`
    WITH counter AS (
      UPDATE "Room" SET "chatSeq" = "chatSeq" + ${n}::int WHERE id = ${roomId}::uuid RETURNING "chatSeq" AS last
    )
    INSERT INTO "ChatMessage" (id, "roomId", seq, "senderIdentity", "senderName", kind, body, "clientId")
    SELECT d.id, ${roomId}::uuid, counter.last - ${n}::int + d.ord::int, d.sender_identity, d.sender_name, d.kind, d.body, d.client_id
    FROM counter, unnest(
      ${drafts.map(() => randomUUID())}::uuid[],
      ${drafts.map((d) => d.senderIdentity)}::text[],
      ${drafts.map((d) => d.senderName)}::text[],
      ${drafts.map((d) => d.kind)}::text[],
      ${drafts.map((d) => d.text)}::text[],
      ${drafts.map((d) => d.clientId)}::text[]
    ) WITH ORDINALITY AS d(id, sender_identity, sender_name, kind, body, client_id, ord)
    RETURNING id, seq, "senderIdentity", "senderName", kind, body, "clientId", "createdAt"`;
}

function isUniqueViolation(error: unknown): boolean {
  const text = String((error as { message?: unknown })?.message ?? '');
  const code = (error as { code?: unknown })?.code;
  return code === 'P2002' || code === '23505' || text.includes('23505') || text.includes('unique constraint');
}

/**
 * Stores a batch of messages of one room, idempotently: a (sender, clientId) already stored (or
 * repeated inside the batch) resolves to the stored row. Returns one row per draft, in order.
 * ROOM_NOT_FOUND when the room row does not exist.
 */
export async function storeMessages(db: Db, roomId: string, drafts: TMessageDraft[]): Promise<TMessageRow[]> {
  // Optimistic: a first send is by far the common case, so try the insert straight away (one
  // round trip). A retry of a stored message makes it fail atomically; then look rows up.
  const unique = new Map<string, TMessageDraft>();
  for (const d of drafts) {
    const key = dedupeKey(d.senderIdentity, d.clientId);
    if (!unique.has(key)) unique.set(key, d);
  }
  let rows: Map<string, TMessageRow>;
  try {
    const inserted = await insertFresh(db, roomId, [...unique.values()]);
    if (inserted.length === 0) throw new AppError('ROOM_NOT_FOUND');
    rows = new Map(inserted.map((r) => [dedupeKey(r.senderIdentity, r.clientId), r]));
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    rows = await storeDeduplicated(db, roomId, [...unique.values()]);
  }
  return drafts.map((d) => {
    const row = rows.get(dedupeKey(d.senderIdentity, d.clientId));
    if (!row) throw new Error('chat message was neither stored nor found');
    return row;
  });
}

/** The careful path: look up what is already stored, insert the rest, one by one on a race. */
async function storeDeduplicated(
  db: Db,
  roomId: string,
  drafts: TMessageDraft[],
): Promise<Map<string, TMessageRow>> {
  const existing = await findExisting(db, roomId, drafts);
  const fresh = drafts.filter((d) => !existing.has(dedupeKey(d.senderIdentity, d.clientId)));
  if (fresh.length === 0) return existing;
  try {
    const inserted = await insertFresh(db, roomId, fresh);
    if (inserted.length === 0) throw new AppError('ROOM_NOT_FOUND');
    for (const row of inserted) existing.set(dedupeKey(row.senderIdentity, row.clientId), row);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // A concurrent retry (maybe on another instance) stored one of these meanwhile.
    if (fresh.length === 1) {
      for (const [key, row] of await findExisting(db, roomId, fresh)) existing.set(key, row);
    } else {
      for (const d of fresh)
        for (const [key, row] of await storeDeduplicated(db, roomId, [d])) existing.set(key, row);
    }
  }
  return existing;
}

export interface TPageQuery {
  roomId: string;
  beforeSeq?: number | undefined;
  afterSeq?: number | undefined;
  limit: number;
}

/** One page, ascending; fetches limit+1 to know whether more exist. */
export async function selectPage(db: Db, q: TPageQuery): Promise<{ rows: TMessageRow[]; hasMore: boolean }> {
  const forward = q.afterSeq !== undefined;
  const rows = await db.chatMessage.findMany({
    where: {
      roomId: q.roomId,
      ...(forward
        ? { seq: { gt: q.afterSeq } }
        : q.beforeSeq !== undefined
          ? { seq: { lt: q.beforeSeq } }
          : {}),
    },
    orderBy: { seq: forward ? 'asc' : 'desc' },
    take: q.limit + 1,
    select: {
      id: true,
      seq: true,
      senderIdentity: true,
      senderName: true,
      kind: true,
      body: true,
      clientId: true,
      createdAt: true,
    },
  });
  const hasMore = rows.length > q.limit;
  const page = rows.slice(0, q.limit);
  return { rows: forward ? page : page.reverse(), hasMore };
}
