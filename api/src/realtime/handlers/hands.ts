import { lowerHand, raiseHand } from '../../hands/hand-queue';
import { onEvent } from '../handle-event';
import { channelOf, type TRealtimeContext, type TSocket } from '../types';

export function registerHandHandlers(ctx: TRealtimeContext, socket: TSocket): void {
  const { join } = socket.data;
  const channel = channelOf(join.room);

  onEvent(ctx, socket, 'hand:raise', async () => {
    const hands = await raiseHand(ctx.store, join);
    ctx.io.to(channel).emit('presence:update', { kind: 'hands', hands });
    return hands;
  });

  onEvent(ctx, socket, 'hand:lower', async (payload) => {
    const { hands, changed } = await lowerHand(ctx.store, join, payload);
    if (changed) ctx.io.to(channel).emit('presence:update', { kind: 'hands', hands });
    return hands;
  });
}
