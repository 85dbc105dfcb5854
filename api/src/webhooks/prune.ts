import type { Db } from '../db/client';
import { IDEMPOTENCY_TTL_MS } from '../rest/idempotency';

/** How long finished deliveries (and their attempt log) stay visible. */
export const DELIVERY_LOG_RETENTION_MS = 30 * 24 * 3600_000;

/**
 * Housekeeping run by the webhook worker: forgets events whose deliveries all finished more than
 * the retention ago (their deliveries and attempts go with them) and expired idempotency keys.
 * Pending deliveries are never touched.
 */
export async function pruneWebhookData(
  db: Db,
  now = new Date(),
): Promise<{ events: number; idempotencyKeys: number }> {
  const cutoff = new Date(now.getTime() - DELIVERY_LOG_RETENTION_MS);
  const events = await db.webhookEvent.deleteMany({
    where: {
      createdAt: { lt: cutoff },
      deliveries: { none: { OR: [{ status: 'pending' }, { updatedAt: { gte: cutoff } }] } },
    },
  });
  const idempotencyKeys = await db.idempotencyKey.deleteMany({
    where: { createdAt: { lt: new Date(now.getTime() - IDEMPOTENCY_TTL_MS) } },
  });
  return { events: events.count, idempotencyKeys: idempotencyKeys.count };
}
