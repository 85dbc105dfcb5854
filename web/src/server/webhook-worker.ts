import 'server-only';
import { createWebhookWorkerFromEnv } from '@convene/api/webhooks/webhook-runtime';
import { serverEnv } from '@/env';
import { webContext } from './context';
import { onWebShutdown } from './lifecycle';
import { webObservability } from './observability';

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
  const worker = createWebhookWorkerFromEnv(env, db, logger, {
    onOutcome: webObservability().webhookOutcome,
  });
  worker.start();
  globalForWorker.conveneWebhookWorker = worker;
  // SIGTERM: the web drain awaits the attempts in progress, so their outcomes are stored.
  onWebShutdown(() => worker.stop());
  process.once('SIGINT', () => void worker.stop());
}
