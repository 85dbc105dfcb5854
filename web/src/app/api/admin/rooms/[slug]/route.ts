import { getRoomDetail } from '@convene/api/admin/room-detail';
import { webContext } from '@/server/context';
import { adminRoute, json } from '../../_lib/auth';

export const dynamic = 'force-dynamic';

export const GET = adminRoute<{ slug: string }>(async ({ params }) => {
  const { db, roomAdmin } = webContext();
  return json(await getRoomDetail(db, roomAdmin, decodeURIComponent(params.slug)));
});
