import { listAdminRecordings, ZAdminRecordingsQuery } from '@convene/api/recording/recordings-admin';
import { webContext } from '@/server/context';
import { adminRoute, json } from '../_lib/auth';

export const dynamic = 'force-dynamic';

/** Every recording, newest first: `?page=` (1-based) and `?pageSize=` (≤ 100). */
export const GET = adminRoute(async ({ req }) => {
  const query = ZAdminRecordingsQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  return json(await listAdminRecordings(webContext().db, query));
});
