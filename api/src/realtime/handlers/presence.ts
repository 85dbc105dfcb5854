import { connectParticipant, disconnectParticipant } from '../../presence/track-presence';
import { getRecordingState } from '../../recording/control-recording';
import { channelOf, type TRealtimeContext, type TSocket } from '../types';

/**
 * Joins the socket to its room channel, announces it, and sends it the room's presence and
 * recording state. Returns a function to run on disconnect (starts the grace period).
 */
export function trackPresence(ctx: TRealtimeContext, socket: TSocket): () => Promise<void> {
  const { join, roomId } = socket.data;
  const channel = channelOf(join.room);
  const log = ctx.logger;

  void socket.join(channel);
  const connected = (async () => {
    const { update, sync } = await connectParticipant(ctx.store, join, socket.id);
    if (update) socket.to(channel).emit('presence:update', update);
    socket.emit('presence:sync', sync);
    socket.emit('recording:state', await getRecordingState(ctx.db, roomId));
  })().catch((error: unknown) => {
    log.error({ err: error, room: join.room }, 'presence connect failed');
    // Usually Redis is briefly unreachable: drop the transport (the client reconnects and tries
    // again) rather than `disconnect(true)`, which clients treat as a kick and never retry.
    socket.conn.close();
  });

  return async () => {
    await connected;
    const graceMs = ctx.env.PRESENCE_GRACE_SECONDS * 1000;
    const update = await disconnectParticipant(ctx.store, join, socket.id, graceMs);
    if (update) ctx.io.to(channel).emit('presence:update', update);
  };
}
