import { getRoomStatus } from '@convene/api/rooms/room-status';
import { ZRoomSlug } from '@convene/api/rooms/schemas';
import { webContext } from '@/server/context';
import { route } from '@/server/http';

export const dynamic = 'force-dynamic';

/**
 * Public: what the pre-join page needs before anyone publishes (is it being recorded, locked,
 * behind a lobby). No secrets and no identities, so no session is required.
 */
export const GET = route(async (_req: Request, { params }: { params: Promise<{ slug: string }> }) => {
  const slug = ZRoomSlug.parse((await params).slug);
  return Response.json(await getRoomStatus(webContext().db, slug), {
    headers: { 'cache-control': 'no-store' },
  });
});
