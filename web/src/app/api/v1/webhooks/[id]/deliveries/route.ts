import { OPS } from '@convene/api/rest/operations';
import { toDeliveryView } from '@convene/api/rest/webhooks-api';
import { listDeliveries } from '@convene/api/webhooks/deliveries';
import { reply, withApiKey } from '@/server/api-key-auth';
import { endpointIdParam } from '../../params';

export const dynamic = 'force-dynamic';

export const GET = withApiKey(OPS.listDeliveries, async ({ api, params, query }) => {
  const page = await listDeliveries(api.db, endpointIdParam(params.id), query);
  return reply(200, { data: page.data.map(toDeliveryView), nextCursor: page.nextCursor });
});
