import { adminReplayDelivery } from '@convene/api/admin/integrations';
import { webContext } from '@/server/context';
import { actorFor, adminRoute, json } from '../../../../../_lib/auth';

export const dynamic = 'force-dynamic';

export const POST = adminRoute<{ id: string; deliveryId: string }>(async ({ session, params }) =>
  json(await adminReplayDelivery(webContext().db, actorFor(session), params.id, params.deliveryId), 201),
);
