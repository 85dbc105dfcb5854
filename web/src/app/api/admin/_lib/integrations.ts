import 'server-only';
import type { TWebhookDeps } from '@convene/api/webhooks/endpoints';
import { webhookDepsFromEnv } from '@convene/api/webhooks/webhook-runtime';
import { serverEnv } from '@/env';
import { webContext } from '@/server/context';

const g = globalThis as unknown as { conveneAdminWebhookDeps?: TWebhookDeps };

export function webhookDeps(): TWebhookDeps {
  g.conveneAdminWebhookDeps ??= webhookDepsFromEnv(serverEnv(), webContext().db);
  return g.conveneAdminWebhookDeps;
}
