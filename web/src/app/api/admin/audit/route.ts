import { listAuditLog } from '@convene/api/admin/audit-log';
import { webContext } from '@/server/context';
import { adminRoute, json } from '../_lib/auth';

export const dynamic = 'force-dynamic';

export const GET = adminRoute(async ({ req }) => {
  const room = new URL(req.url).searchParams.get('room') ?? undefined;
  return json({ data: await listAuditLog(webContext().db, { room, limit: 100 }) });
});
