import { connectParticipant } from '../presence/track-presence';
import { channelOf, type TRealtimeContext } from './types';

/**
 * Redis keeps presence without persistence: after it restarts every instance re-registers the
 * sockets it holds and announces them, so the rebuilt room lists are whole again (found by the
 * cluster chaos test: clients that stayed connected through the restart had vanished for those
 * who (re)joined after it).
 */
export async function rebuildLocalPresence(ctx: TRealtimeContext): Promise<number> {
  let count = 0;
  for (const socket of ctx.io.of('/').sockets.values()) {
    const join = socket.data.join;
    // Lobby waiters (when the lobby feature is present) are not in the room yet.
    if (!join || (socket.data as { lobby?: unknown }).lobby) continue;
    const { update } = await connectParticipant(ctx.store, join, socket.id);
    if (update) ctx.io.to(channelOf(join.room)).emit('presence:update', update);
    count++;
  }
  return count;
}
