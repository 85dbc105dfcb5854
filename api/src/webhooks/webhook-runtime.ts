import type { Db } from '../db/client';
import type { TEnv } from '../env';
import type { Logger } from '../logger';
import type { TWebhookDeps } from './endpoints';
import { deriveSecretsKey } from './secrets';
import { createUrlPolicy, defaultAllowedNetworks } from './url-policy';
import { createWebhookWorker, type TWebhookWorker, type TWebhookWorkerOptions } from './worker';

/** The webhook dependencies a process derives from its validated env. */
export function webhookDepsFromEnv(env: TEnv, db: Db): TWebhookDeps {
  return {
    db,
    secretsKey: deriveSecretsKey(env.WEBHOOK_SECRET_KEY ?? env.LIVEKIT_API_SECRET),
    urlPolicy: createUrlPolicy(defaultAllowedNetworks(env.PUBLIC_URL, env.WEBHOOK_ALLOWED_NETWORKS)),
  };
}

export function createWebhookWorkerFromEnv(
  env: TEnv,
  db: Db,
  logger: Logger,
  hooks: Pick<TWebhookWorkerOptions, 'onOutcome'> = {},
): TWebhookWorker {
  const deps = webhookDepsFromEnv(env, db);
  return createWebhookWorker({
    db,
    logger,
    secretsKey: deps.secretsKey,
    urlPolicy: deps.urlPolicy,
    retry: {
      baseMs: env.WEBHOOK_RETRY_BASE_MS,
      maxDelayMs: env.WEBHOOK_RETRY_MAX_DELAY_MS,
      windowMs: env.WEBHOOK_RETRY_WINDOW_MS,
    },
    disableAfterMs: env.WEBHOOK_DISABLE_AFTER_MS,
    timeoutMs: env.WEBHOOK_TIMEOUT_MS,
    pollMs: env.WEBHOOK_POLL_MS,
    listenUrl: env.DATABASE_URL,
    ...hooks,
  });
}
