import { listSessions } from '@convene/api/admin/usage';
import { webContext } from '@/server/context';
import { adminRoute, json } from '../../../_lib/auth';

export const dynamic = 'force-dynamic';

export const GET = adminRoute<{ slug: string }>(async ({ params }) =>
  json({ data: await listSessions(webContext().db, { room: decodeURIComponent(params.slug), limit: 50 }) }),
);
