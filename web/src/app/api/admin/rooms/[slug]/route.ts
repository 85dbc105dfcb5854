import { getRoomDetail } from '@convene/api/admin/room-detail';
import { fetchPresence } from '@convene/api/realtime/internal-client';
import { webContext } from '@/server/context';
import { adminRoute, json } from '../../_lib/auth';

export const dynamic = 'force-dynamic';

export const GET = adminRoute<{ slug: string }>(async ({ params }) => {
  const { db, roomAdmin, realtime, logger } = webContext();
  const presence = (room: string) => fetchPresence(realtime, room);
  return json(await getRoomDetail({ db, roomAdmin, presence, logger }, decodeURIComponent(params.slug)));
});
