import { recordLivekitWebhookEvent, verifyLivekitWebhook } from '@convene/api/livekit/record-webhook-event';
import { webContext } from '@/server/context';
import { route } from '@/server/http';

export const dynamic = 'force-dynamic';

/** LiveKit → us. The signature covers the raw body, so it is read as text before any parsing. */
export const POST = route(async (req: Request) => {
  const { db, livekitKeys, logger } = webContext();
  const event = await verifyLivekitWebhook(livekitKeys, await req.text(), req.headers.get('authorization'));
  const outcome = await recordLivekitWebhookEvent(db, event);
  logger.debug({ event: event.event, id: event.id, outcome }, 'livekit webhook');
  return Response.json({ outcome });
});
