import { joinRoomAsBrowser } from '@convene/api/rooms/room-service';
import { ZJoinRequest, ZRoomSlug } from '@convene/api/rooms/schemas';
import { serverEnv } from '@/env';
import { browserSessionHash } from '@/server/browser-session';
import { webContext } from '@/server/context';
import { readJson, route } from '@/server/http';

export const dynamic = 'force-dynamic';

/** Issues or refreshes this browser's join token. The role comes from the server, never the body. */
export const POST = route(async (req: Request, { params }: { params: Promise<{ slug: string }> }) => {
  const slug = ZRoomSlug.parse((await params).slug);
  const { name } = await readJson(req, ZJoinRequest);
  const env = serverEnv();
  const { db, livekitKeys } = webContext();
  const join = await joinRoomAsBrowser(db, livekitKeys, {
    slug,
    sessionHash: await browserSessionHash(),
    displayName: name,
    ttlSeconds: env.TOKEN_TTL_SECONDS,
  });
  return Response.json(
    { ...join, livekitUrl: env.LIVEKIT_PUBLIC_URL, realtimeUrl: env.REALTIME_PUBLIC_URL },
    { headers: { 'cache-control': 'no-store' } },
  );
});
