import { listMessages } from '../../chat/list-messages';
import { sendMessage } from '../../chat/send-message';
import { setTyping } from '../../presence/track-presence';
import { onEvent } from '../handle-event';
import { channelOf, type TRealtimeContext, type TSocket } from '../types';

export function registerChatHandlers(ctx: TRealtimeContext, socket: TSocket): void {
  const { join, roomId } = socket.data;
  const channel = channelOf(join.room);

  onEvent(ctx, socket, 'chat:send', async (payload) => {
    const message = await sendMessage(ctx.writer, { roomId, join }, payload);
    // Re-broadcasting a deduplicated retry is harmless: clients merge by seq.
    ctx.io.to(channel).emit('chat:message', message);
    return message;
  });

  onEvent(ctx, socket, 'chat:history', (payload) => listMessages(ctx.db, roomId, payload));

  onEvent(ctx, socket, 'typing:start', async () => {
    const update = await setTyping(ctx.store, join, true);
    socket.to(channel).emit('presence:update', update);
    return { typingUntil: update.typingUntil ?? Date.now() };
  });

  onEvent(ctx, socket, 'typing:stop', async () => {
    const update = await setTyping(ctx.store, join, false);
    socket.to(channel).emit('presence:update', update);
    return { typingUntil: null };
  });
}
