import { OPS } from '@convene/api/rest/operations';
import { toEndpointView } from '@convene/api/rest/webhooks-api';
import { createWebhookEndpoint, listWebhookEndpoints } from '@convene/api/webhooks/endpoints';
import { reply, withApiKey } from '@/server/api-key-auth';

export const dynamic = 'force-dynamic';

export const POST = withApiKey(OPS.createWebhook, async ({ api, body }) => {
  const { endpoint, secret } = await createWebhookEndpoint(api.webhooks, body);
  return reply(201, { ...toEndpointView(endpoint), secret });
});

export const GET = withApiKey(OPS.listWebhooks, async ({ api }) =>
  reply(200, { data: (await listWebhookEndpoints(api.db)).map(toEndpointView) }),
);
