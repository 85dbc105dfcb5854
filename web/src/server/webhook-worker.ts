import 'server-only';
import { createWebhookWorkerFromEnv } from '@convene/api/webhooks/webhook-runtime';
import { serverEnv } from '@/env';
import { webContext } from './context';

const globalForWorker = globalThis as unknown as { conveneWebhookWorker?: { stop(): Promise<void> } };

/**
 * Runs the outgoing-webhook outbox worker inside the Next.js server process (started from
 * instrumentation `register()`), so `npm start` and `npm test` deliver webhooks without another
 * process. Several web processes may each run one: deliveries are claimed with leases.
 */
export function startWebhookWorker(): void {
  const env = serverEnv();
  if (!env.WEBHOOK_WORKER || globalForWorker.conveneWebhookWorker) return;
  const { db, logger } = webContext();
  const worker = createWebhookWorkerFromEnv(env, db, logger);
  worker.start();
  globalForWorker.conveneWebhookWorker = worker;
  const stop = () => void worker.stop();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
