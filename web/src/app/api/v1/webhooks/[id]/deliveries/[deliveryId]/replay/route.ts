import { OPS } from '@convene/api/rest/operations';
import { toDeliveryView } from '@convene/api/rest/webhooks-api';
import { replayDelivery } from '@convene/api/webhooks/deliveries';
import { reply, withApiKey } from '@/server/api-key-auth';
import { deliveryIdParam, endpointIdParam } from '../../../../params';

export const dynamic = 'force-dynamic';

export const POST = withApiKey(OPS.replayDelivery, async ({ api, params }) =>
  reply(
    202,
    toDeliveryView(
      await replayDelivery(api.db, endpointIdParam(params.id), deliveryIdParam(params.deliveryId)),
    ),
  ),
);
