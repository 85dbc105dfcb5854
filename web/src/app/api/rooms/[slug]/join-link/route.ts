import { redeemJoinLink, ZRedeemJoinLink } from '@convene/api/rest/redeem-join-link';
import { ZRoomSlug } from '@convene/api/rooms/schemas';
import { serverEnv } from '@/env';
import { webContext } from '@/server/context';
import { readJson, route } from '@/server/http';

export const dynamic = 'force-dynamic';

/** Join links: exchanges the link's token (or the session's current one) for a fresh join token. */
export const POST = route(async (req: Request, { params }: { params: Promise<{ slug: string }> }) => {
  const slug = ZRoomSlug.parse((await params).slug);
  const { token } = await readJson(req, ZRedeemJoinLink);
  const env = serverEnv();
  const { db, livekitKeys } = webContext();
  const join = await redeemJoinLink(db, livekitKeys, { slug, token, ttlSeconds: env.TOKEN_TTL_SECONDS });
  return Response.json(
    { ...join, livekitUrl: env.LIVEKIT_PUBLIC_URL, realtimeUrl: env.REALTIME_PUBLIC_URL },
    { headers: { 'cache-control': 'no-store' } },
  );
});
