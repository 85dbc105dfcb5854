import { createRoom } from '@convene/api/rooms/room-service';
import { ZCreateRoom } from '@convene/api/rooms/schemas';
import { browserSessionHash } from '@/server/browser-session';
import { webContext } from '@/server/context';
import { readJson, route } from '@/server/http';

export const dynamic = 'force-dynamic';

/** Creates a room; the calling browser becomes its host. */
export const POST = route(async (req: Request) => {
  const input = await readJson(req, ZCreateRoom);
  const room = await createRoom(webContext().db, {
    slug: input.name,
    hostSessionHash: await browserSessionHash(),
  });
  return Response.json({ slug: room.slug, url: `/r/${room.slug}` }, { status: 201 });
});
