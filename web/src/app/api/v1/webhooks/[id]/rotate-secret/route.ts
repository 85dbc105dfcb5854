import { OPS } from '@convene/api/rest/operations';
import { rotateWebhookSecret } from '@convene/api/webhooks/endpoints';
import { reply, withApiKey } from '@/server/api-key-auth';
import { endpointIdParam } from '../../params';

export const dynamic = 'force-dynamic';

export const POST = withApiKey(OPS.rotateWebhookSecret, async ({ api, params, body }) => {
  const rotated = await rotateWebhookSecret(api.webhooks, endpointIdParam(params.id), body.overlapSeconds);
  return reply(200, {
    secret: rotated.secret,
    previousSecretExpiresAt: rotated.previousSecretExpiresAt?.toISOString() ?? null,
  });
});
