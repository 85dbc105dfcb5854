import { recordLivekitWebhookEvent, verifyLivekitWebhook } from '@convene/api/livekit/record-webhook-event';
import { enforceRemoval } from '@convene/api/moderation/enforce-removal';
import { notifyParticipantLeft, notifyRecordingState } from '@convene/api/realtime/internal-client';
import { applyEgressWebhook, isEgressWebhook } from '@convene/api/recording/egress-events';
import { webContext } from '@/server/context';
import { route } from '@/server/http';

export const dynamic = 'force-dynamic';

/** LiveKit → us. The signature covers the raw body, so it is read as text before any parsing. */
export const POST = route(async (req: Request) => {
  const { db, livekitKeys, logger, roomAdmin, realtime } = webContext();
  const event = await verifyLivekitWebhook(livekitKeys, await req.text(), req.headers.get('authorization'));
  if (isEgressWebhook(event)) {
    // Recording progress (RECORDER=egress). This process has no sockets: the realtime server
    // re-reads the state and broadcasts it; awaited so the room hears it before LiveKit hears 200.
    const notices: Promise<unknown>[] = [];
    const publish = (room: string) => {
      notices.push(
        notifyRecordingState(realtime, room).catch((error: unknown) =>
          logger.warn({ err: error, room }, 'recording state not broadcast'),
        ),
      );
    };
    const outcome = await applyEgressWebhook({ db, logger, publish }, event);
    await Promise.all(notices);
    return Response.json({ outcome });
  }
  const outcome = await recordLivekitWebhookEvent(db, event);
  logger.debug({ event: event.event, id: event.id, outcome }, 'livekit webhook');
  // Someone a host removed came back with an old token: out again (LiveKit cannot revoke tokens).
  if (event.event === 'participant_joined' && event.room?.name && event.participant?.identity) {
    if (await enforceRemoval({ db, roomAdmin }, event.room.name, event.participant.identity)) {
      logger.info({ room: event.room.name }, 'removed participant rejoined with an old token: removed again');
    }
  }
  // Presence follows LiveKit: someone who left the call and whose chat socket is already gone
  // leaves the realtime room now, not after the grace period. Best effort: the grace period still
  // ends it if the realtime service cannot be reached.
  if (event.event === 'participant_left' && event.room?.name && event.participant?.identity) {
    const [room, identity] = [event.room.name, event.participant.identity];
    await notifyParticipantLeft(realtime, room, identity).catch((error: unknown) =>
      logger.warn({ err: error, room }, 'presence not reconciled with participant_left'),
    );
  }
  return Response.json({ outcome });
});
