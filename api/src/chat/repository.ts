import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import { OUTBOX_CHANNEL } from '../webhooks/enqueue';
import type { TWebhookEventType } from '../webhooks/events';
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

const CHAT_MESSAGE_EVENT: TWebhookEventType = 'chat.message';

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

// ISO 8601 of a UTC "timestamp without time zone", as `toChatMessage` renders it.
const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * The opt-in `chat.message` webhook rides in the same statement as the insert (data-modifying
 * CTEs commit or roll back together), so an acknowledged message always has its event and a
 * failed or deduplicated one never does. With no enabled endpoint subscribed, `subscribers` is
 * empty and no event row is written; otherwise one event per message and one pending delivery
 * per (event, endpoint), the shape `enqueueDomainEvent` writes, plus the outbox NOTIFY (folded
 * into one per transaction by PostgreSQL, sent on commit).
 */
const INSERT_FRESH = `
  WITH counter AS (
    UPDATE "Room" SET "chatSeq" = "chatSeq" + $2::int WHERE id = $1::uuid RETURNING "chatSeq" AS last, slug
  ),
  inserted AS (
    INSERT INTO "ChatMessage" (id, "roomId", seq, "senderIdentity", "senderName", kind, body, "clientId")
    SELECT d.id, $1::uuid, counter.last - $2::int + d.ord::int, d.sender_identity, d.sender_name, d.kind, d.body, d.client_id
    FROM counter, unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
      WITH ORDINALITY AS d(id, sender_identity, sender_name, kind, body, client_id, ord)
    RETURNING id, seq, "senderIdentity", "senderName", kind, body, "clientId", "createdAt"
  ),
  subscribers AS (
    SELECT id FROM "WebhookEndpoint" WHERE state = 'enabled' AND '${CHAT_MESSAGE_EVENT}' = ANY("eventTypes")
  ),
  events AS (
    INSERT INTO "WebhookEvent" (id, type, payload, "createdAt")
    SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), '${CHAT_MESSAGE_EVENT}',
      jsonb_build_object(
        'type', '${CHAT_MESSAGE_EVENT}',
        'timestamp', to_char(i."createdAt", ${ISO_UTC}),
        'data', jsonb_build_object(
          'room', jsonb_build_object('id', $1::uuid, 'name', counter.slug),
          'message', jsonb_build_object(
            'id', i.id, 'seq', i.seq, 'kind', i.kind, 'senderIdentity', i."senderIdentity",
            'senderName', i."senderName", 'text', i.body, 'clientId', i."clientId",
            'createdAt', to_char(i."createdAt", ${ISO_UTC})))),
      i."createdAt"
    FROM inserted i, counter
    WHERE EXISTS (SELECT 1 FROM subscribers)
    RETURNING id
  ),
  deliveries AS (
    INSERT INTO "WebhookDelivery" (id, "endpointId", "eventId", "updatedAt")
    SELECT gen_random_uuid(), s.id, e.id, CURRENT_TIMESTAMP FROM events e, subscribers s
  ),
  notified AS (SELECT count(pg_notify('${OUTBOX_CHANNEL}', '')) AS n FROM events)
  SELECT i.id, i.seq, i."senderIdentity", i."senderName", i.kind, i.body, i."clientId",
    (i."createdAt" AT TIME ZONE 'UTC') AS "createdAt", notified.n AS "webhookEvents"
  FROM inserted i, notified`;

/**
 * Stores new messages of one room in ONE statement: the room's counter is bumped by n under its
 * row lock and the rows take the n numbers in order, so seq is gapless and correct across any
 * number of writers and instances. The statement is atomic: on a unique violation nothing is
 * stored, no number is consumed and no webhook event is written.
 */
function insertFresh(sql: TSqlClient, roomId: string, drafts: TMessageDraft[]): Promise<TMessageRow[]> {
  return sql.query<TMessageRow>(
    INSERT_FRESH,
    [
      roomId,
      drafts.length,
      drafts.map(() => randomUUID()),
      drafts.map((d) => d.senderIdentity),
      drafts.map((d) => d.senderName),
      drafts.map((d) => d.kind),
      drafts.map((d) => d.text),
      drafts.map((d) => d.clientId),
    ],
    'chat_insert_fresh',
  );
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
