import type { Db } from '../db/client';
import { AppError } from '../errors';
import { getWebhookEndpointOrThrow } from './endpoints';
import { notifyOutbox } from './enqueue';

const DELIVERY_INCLUDE = {
  event: { select: { type: true } },
  attempts: { orderBy: { attemptNumber: 'asc' as const } },
};

export type TDeliveryWithAttempts = NonNullable<Awaited<ReturnType<typeof findDelivery>>>;

function findDelivery(db: Db, endpointId: string, id: string) {
  return db.webhookDelivery.findFirst({ where: { id, endpointId }, include: DELIVERY_INCLUDE });
}

/** The delivery log of an endpoint, newest first, each with every attempt. */
export async function listDeliveries(
  db: Db,
  endpointId: string,
  page: { cursor?: string; limit: number },
): Promise<{ data: TDeliveryWithAttempts[]; nextCursor: string | null }> {
  await getWebhookEndpointOrThrow(db, endpointId);
  const rows = await db.webhookDelivery.findMany({
    where: { endpointId },
    include: DELIVERY_INCLUDE,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: page.limit + 1,
    ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
  });
  const data = rows.slice(0, page.limit);
  return { data, nextCursor: rows.length > page.limit ? data[data.length - 1]!.id : null };
}

/** Sends a delivery's event again to its endpoint, with the same webhook-id, as a new logged delivery. */
export async function replayDelivery(
  db: Db,
  endpointId: string,
  deliveryId: string,
): Promise<TDeliveryWithAttempts> {
  const endpoint = await getWebhookEndpointOrThrow(db, endpointId);
  const original = await findDelivery(db, endpointId, deliveryId);
  if (!original) throw new AppError('NOT_FOUND', 'No such delivery for this endpoint.');
  if (endpoint.state !== 'enabled')
    throw new AppError('CONFLICT', 'The endpoint is disabled; enable it first.');
  const replay = await db.webhookDelivery.create({
    data: { endpointId, eventId: original.eventId, replayOfId: original.id },
    include: DELIVERY_INCLUDE,
  });
  await notifyOutbox(db);
  return replay;
}
