import { moderateRoom } from '@convene/api/moderation/moderate-room';
import { ZModerationAction } from '@convene/api/moderation/schemas';
import { readJson } from '@/server/http';
import { actorFor, adminRoute, json } from '../../../_lib/auth';
import { adminContext } from '../../../_lib/context';

export const dynamic = 'force-dynamic';

/** One moderation action (mute, remove, lock, end, set_role); audited. */
export const POST = adminRoute<{ slug: string }>(async ({ req, session, params }) => {
  const action = await readJson(req, ZModerationAction);
  return json(
    await moderateRoom(adminContext().moderation, actorFor(session), decodeURIComponent(params.slug), action),
  );
});
