import { getLiveOverview } from '@convene/api/admin/overview';
import { serverEnv } from '@/env';
import { webContext } from '@/server/context';
import { adminRoute, json } from '../_lib/auth';

export const dynamic = 'force-dynamic';

/** Live rooms and the event cursor to subscribe after. */
export const GET = adminRoute(async () =>
  json(
    await getLiveOverview(webContext().db, { poorQualityMs: serverEnv().QUALITY_POOR_FLAG_SECONDS * 1000 }),
  ),
);
