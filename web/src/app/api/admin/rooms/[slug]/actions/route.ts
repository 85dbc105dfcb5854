import { moderateRoom } from '@convene/api/moderation/moderate-room';
import { ZModerationAction } from '@convene/api/moderation/schemas';
import { webContext } from '@/server/context';
import { readJson } from '@/server/http';
import { actorFor, adminRoute, json } from '../../../_lib/auth';

export const dynamic = 'force-dynamic';

/** One moderation action (mute, remove, lock, end, set_role); audited. */
export const POST = adminRoute<{ slug: string }>(async ({ req, session, params }) => {
  const action = await readJson(req, ZModerationAction);
  return json(
    await moderateRoom(webContext().moderation, actorFor(session), decodeURIComponent(params.slug), action),
  );
});
