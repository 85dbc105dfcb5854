import { createReaction } from '../../reactions/send-reaction';
import { onEvent } from '../handle-event';
import { channelOf, type TRealtimeContext, type TSocket } from '../types';

export function registerReactionHandlers(ctx: TRealtimeContext, socket: TSocket): void {
  const { join } = socket.data;
  onEvent(ctx, socket, 'reaction:send', async (payload) => {
    const reaction = createReaction(join, payload);
    ctx.io.to(channelOf(join.room)).emit('reaction', reaction);
    return reaction;
  });
}
