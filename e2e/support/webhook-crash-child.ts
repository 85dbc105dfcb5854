// Child process for the "crash between outbox write and delivery" test. It writes a domain event
// to the outbox and claims its delivery in one transaction (as a worker's claim would, with a
// short lease), starts sending it, and is SIGKILLed by the test while the request is in flight.
// Usage: node --import tsx e2e/support/webhook-crash-child.ts <endpointId> <leaseMs>
import { createDb } from '@convene/api/db/client';
import { loadEnv } from '@convene/api/env';
import { createLogger } from '@convene/api/logger';
import { enqueueDomainEvent } from '@convene/api/webhooks/enqueue';
import { createWebhookWorkerFromEnv } from '@convene/api/webhooks/webhook-runtime';

const [endpointId, leaseMs] = process.argv.slice(2);
const env = loadEnv();
const db = createDb(env.DATABASE_URL, { poolSize: 2 });
const eventId = await db.$transaction(async (tx) => {
  const id = await enqueueDomainEvent(tx, 'room.started', {
    room: { id: endpointId, name: 'crash-test' },
    meeting: { id: 'crash-test', startedAt: new Date().toISOString() },
  });
  await tx.webhookDelivery.updateMany({
    where: { eventId: id ?? '', endpointId },
    data: { lockedUntil: new Date(Date.now() + Number(leaseMs)) },
  });
  return id;
});
const delivery = await db.webhookDelivery.findFirstOrThrow({ where: { eventId: eventId ?? '', endpointId } });
process.stdout.write(`${JSON.stringify({ eventId, deliveryId: delivery.id })}\n`);
const worker = createWebhookWorkerFromEnv(env, db, createLogger('silent'));
await worker.attemptDelivery(delivery.id);
// Only reached if the test failed to kill us.
process.stdout.write('finished\n');
