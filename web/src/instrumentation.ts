import { isNodeRuntime, serverEnv } from './env';

/**
 * Runs once when the Next.js server boots: validate the environment up front so a bad variable
 * stops the server with a clear message instead of failing the first request.
 */
export async function register() {
  if (!isNodeRuntime()) return;
  try {
    serverEnv();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  // Readiness/drain state for /api/ready and /api/metrics (Node runtime only: it loads Prisma).
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { installWebLifecycle } = await import('./server/lifecycle');
    installWebLifecycle();
    // Admin dashboard: the first admin from ADMIN_EMAIL/ADMIN_PASSWORD when none exists (docs/admin.md).
    const { bootstrapAdmin } = await import('./app/api/admin/_lib/bootstrap');
    await bootstrapAdmin();
    // Outgoing webhooks: drain the Postgres outbox from this process (see api/src/webhooks/worker.ts).
    const { startWebhookWorker } = await import('./server/webhook-worker');
    startWebhookWorker();
  }
}
