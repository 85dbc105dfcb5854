import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import type { TChatMessage, TChatMessageKind } from './schemas';
import type { TSqlClient } from './sql';

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

// "createdAt" is a timestamp without zone holding UTC; AT TIME ZONE makes every driver read it as UTC.
const COLUMNS = `id, seq, "senderIdentity", "senderName", kind, body, "clientId", ("createdAt" AT TIME ZONE 'UTC') AS "createdAt"`;

const SELECT_EXISTING = `
  SELECT ${COLUMNS} FROM "ChatMessage"
  WHERE "roomId" = $1::uuid
    AND ("senderIdentity", "clientId") IN (SELECT * FROM unnest($2::text[], $3::text[]))`;

/** Messages already stored under these (sender, clientId) pairs, keyed by dedupeKey. */
async function findExisting(
  sql: TSqlClient,
  roomId: string,
  drafts: TMessageDraft[],
): Promise<Map<string, TMessageRow>> {
  const rows = await sql.query<TMessageRow>(SELECT_EXISTING, [
    roomId,
    drafts.map((d) => d.senderIdentity),
    drafts.map((d) => d.clientId),
  ]);
  return new Map(rows.map((r) => [dedupeKey(r.senderIdentity, r.clientId), r]));
}

const INSERT_FRESH = `
  WITH counter AS (
    UPDATE "Room" SET "chatSeq" = "chatSeq" + $2::int WHERE id = $1::uuid RETURNING "chatSeq" AS last
  )
  INSERT INTO "ChatMessage" (id, "roomId", seq, "senderIdentity", "senderName", kind, body, "clientId")
  SELECT d.id, $1::uuid, counter.last - $2::int + d.ord::int, d.sender_identity, d.sender_name, d.kind, d.body, d.client_id
  FROM counter, unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
    WITH ORDINALITY AS d(id, sender_identity, sender_name, kind, body, client_id, ord)
  RETURNING ${COLUMNS}`;

/**
 * Stores new messages of one room in ONE statement: the room's counter is bumped by n under its
 * row lock and the rows take the n numbers in order, so seq is gapless and correct across any
 * number of writers and instances. The statement is atomic: on a unique violation nothing is
 * stored and no number is consumed.
 */
function insertFresh(sql: TSqlClient, roomId: string, drafts: TMessageDraft[]): Promise<TMessageRow[]> {
  return sql.query<TMessageRow>(INSERT_FRESH, [
    roomId,
    drafts.length,
    drafts.map(() => randomUUID()),
    drafts.map((d) => d.senderIdentity),
    drafts.map((d) => d.senderName),
    drafts.map((d) => d.kind),
    drafts.map((d) => d.text),
    drafts.map((d) => d.clientId),
  ]);
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
export async function storeMessages(
  sql: TSqlClient,
  roomId: string,
  drafts: TMessageDraft[],
): Promise<TMessageRow[]> {
  // Optimistic: a first send is by far the common case, so try the insert straight away (one
  // round trip). A retry of a stored message makes it fail atomically; then look rows up.
  const unique = new Map<string, TMessageDraft>();
  for (const d of drafts) {
    const key = dedupeKey(d.senderIdentity, d.clientId);
    if (!unique.has(key)) unique.set(key, d);
  }
  let rows: Map<string, TMessageRow>;
  try {
    const inserted = await insertFresh(sql, roomId, [...unique.values()]);
    if (inserted.length === 0) throw new AppError('ROOM_NOT_FOUND');
    rows = new Map(inserted.map((r) => [dedupeKey(r.senderIdentity, r.clientId), r]));
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    rows = await storeDeduplicated(sql, roomId, [...unique.values()]);
  }
  return drafts.map((d) => {
    const row = rows.get(dedupeKey(d.senderIdentity, d.clientId));
    if (!row) throw new Error('chat message was neither stored nor found');
    return row;
  });
}

/** The careful path: look up what is already stored, insert the rest, one by one on a race. */
async function storeDeduplicated(
  sql: TSqlClient,
  roomId: string,
  drafts: TMessageDraft[],
): Promise<Map<string, TMessageRow>> {
  const existing = await findExisting(sql, roomId, drafts);
  const fresh = drafts.filter((d) => !existing.has(dedupeKey(d.senderIdentity, d.clientId)));
  if (fresh.length === 0) return existing;
  try {
    const inserted = await insertFresh(sql, roomId, fresh);
    if (inserted.length === 0) throw new AppError('ROOM_NOT_FOUND');
    for (const row of inserted) existing.set(dedupeKey(row.senderIdentity, row.clientId), row);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // A concurrent retry (maybe on another instance) stored one of these meanwhile.
    if (fresh.length === 1) {
      for (const [key, row] of await findExisting(sql, roomId, fresh)) existing.set(key, row);
    } else {
      for (const d of fresh)
        for (const [key, row] of await storeDeduplicated(sql, roomId, [d])) existing.set(key, row);
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
