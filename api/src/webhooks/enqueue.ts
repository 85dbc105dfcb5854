import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client';
import type { TWebhookEnvelope, TWebhookEventType } from './events';

/** Works with the client or an interactive transaction (`db.$transaction(async (tx) => …)`). */
export type TOutboxTx = Pick<Db, 'webhookEvent' | 'webhookEndpoint' | 'webhookDelivery' | '$executeRaw'>;

/** Postgres channel the workers LISTEN on; NOTIFY is transactional, so it fires on commit only. */
export const OUTBOX_CHANNEL = 'convene_webhook_outbox';

/** Wakes idle workers now instead of at their next poll (delivered when the transaction commits). */
export async function notifyOutbox(tx: Pick<Db, '$executeRaw'>): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`;
}

export function newMessageId(): string {
  return `msg_${randomUUID().replaceAll('-', '')}`;
}

/**
 * Writes a domain event to the webhook outbox: one event row plus one pending delivery per
 * enabled endpoint subscribed to its type. Call it inside the transaction that makes the change,
 * so the event exists exactly when the change does — a crash after commit loses nothing (the
 * worker delivers it later), a rollback sends nothing. Returns the event id, or null when no
 * endpoint wants this type.
 */
export async function enqueueDomainEvent(
  tx: TOutboxTx,
  type: TWebhookEventType,
  data: Record<string, unknown>,
  options: { occurredAt?: Date } = {},
): Promise<string | null> {
  const endpoints = await tx.webhookEndpoint.findMany({
    where: { state: 'enabled', eventTypes: { has: type } },
    select: { id: true },
  });
  if (endpoints.length === 0) return null;
  const occurredAt = options.occurredAt ?? new Date();
  const envelope: TWebhookEnvelope = { type, timestamp: occurredAt.toISOString(), data };
  const id = newMessageId();
  await tx.webhookEvent.create({ data: { id, type, payload: envelope as object, createdAt: occurredAt } });
  await tx.webhookDelivery.createMany({
    data: endpoints.map((endpoint) => ({ endpointId: endpoint.id, eventId: id })),
  });
  await notifyOutbox(tx);
  return id;
}
