import { serverEnv } from '@/env';

/**
 * Node-runtime start-up, loaded from instrumentation.ts: validate the environment (a bad variable
 * stops the server with a clear message instead of failing the first request), then start the
 * process-wide services.
 */
export async function bootWebServer(): Promise<void> {
  try {
    serverEnv();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  // Readiness/drain state for /api/ready and /api/metrics.
  const { installWebLifecycle } = await import('./lifecycle');
  installWebLifecycle();
  // Admin dashboard: the first admin from ADMIN_EMAIL/ADMIN_PASSWORD when none exists (docs/admin.md).
  const { bootstrapAdmin } = await import('../app/api/admin/_lib/bootstrap');
  await bootstrapAdmin();
  // Outgoing webhooks: drain the Postgres outbox from this process (see api/src/webhooks/worker.ts).
  const { startWebhookWorker } = await import('./webhook-worker');
  startWebhookWorker();
}
