import { OPS } from '@convene/api/rest/operations';
import { sendTestWebhook } from '@convene/api/webhooks/endpoints';
import { reply, withApiKey } from '@/server/api-key-auth';
import { endpointIdParam } from '../../params';

export const dynamic = 'force-dynamic';

export const POST = withApiKey(OPS.testWebhook, async ({ api, params }) =>
  reply(202, await sendTestWebhook(api.db, endpointIdParam(params.id))),
);
