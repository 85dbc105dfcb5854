import { adminListDeliveries } from '@convene/api/admin/integrations';
import { webContext } from '@/server/context';
import { adminRoute, json } from '../../../_lib/auth';

export const dynamic = 'force-dynamic';

export const GET = adminRoute<{ id: string }>(async ({ params }) =>
  json({ data: await adminListDeliveries(webContext().db, params.id) }),
);
