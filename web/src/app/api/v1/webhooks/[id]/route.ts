import { OPS } from '@convene/api/rest/operations';
import { toEndpointView } from '@convene/api/rest/webhooks-api';
import {
  deleteWebhookEndpoint,
  getWebhookEndpointOrThrow,
  updateWebhookEndpoint,
} from '@convene/api/webhooks/endpoints';
import { reply, withApiKey } from '@/server/api-key-auth';
import { endpointIdParam } from '../params';

export const dynamic = 'force-dynamic';

export const GET = withApiKey(OPS.getWebhook, async ({ api, params }) =>
  reply(200, toEndpointView(await getWebhookEndpointOrThrow(api.db, endpointIdParam(params.id)))),
);

export const PATCH = withApiKey(OPS.updateWebhook, async ({ api, params, body }) =>
  reply(200, toEndpointView(await updateWebhookEndpoint(api.webhooks, endpointIdParam(params.id), body))),
);

export const DELETE = withApiKey(OPS.deleteWebhook, async ({ api, params }) => {
  await deleteWebhookEndpoint(api.db, endpointIdParam(params.id));
  return reply(204, null);
});
