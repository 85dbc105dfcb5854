import { AppError } from '../../errors';
import { permissionsFor } from '../../tokens/policy';
import { onEvent } from '../handle-event';
import {
  hostsChannelOf,
  listLobby,
  lobbyChannelOf,
  lobbyIdentityChannelOf,
  publishLobby,
} from '../moderation-notices';
import type { TRealtimeContext, TSocket } from '../types';
import { runHostAction } from './moderation';

/**
 * A browser waiting in the lobby: it is only in the lobby channels (no chat, presence or media),
 * hosts see it knock, and it leaves the list when its tab closes. Returns the disconnect hook.
 */
export function registerLobbyWaiter(ctx: TRealtimeContext, socket: TSocket): () => Promise<void> {
  const { room, identity } = socket.data.join;
  void socket.join([lobbyChannelOf(room), lobbyIdentityChannelOf(room, identity)]);
  const knocked = publishLobby(ctx, room).catch((error: unknown) =>
    ctx.logger.warn({ err: error, room }, 'lobby update failed'),
  );
  return async () => {
    await knocked;
    await publishLobby(ctx, room);
  };
}

/** `lobby:admit` / `lobby:deny` (hosts only); hosts get the current lobby on connect. */
export function registerLobbyHostHandlers(ctx: TRealtimeContext, socket: TSocket): void {
  const { room } = socket.data.join;
  if (permissionsFor(socket.data.join.role).canModerate) {
    void socket.join(hostsChannelOf(room));
    void listLobby(ctx, room).then(
      (waiting) => socket.emit('lobby:update', { waiting }),
      (error: unknown) => ctx.logger.warn({ err: error, room }, 'lobby list failed'),
    );
  }
  for (const event of ['lobby:admit', 'lobby:deny'] as const) {
    onEvent(ctx, socket, event, async (p) => {
      if (!permissionsFor(socket.data.join.role).canModerate) {
        throw new AppError('FORBIDDEN', 'Only hosts can do this.');
      }
      const identities = 'all' in p ? (await listLobby(ctx, room)).map((w) => w.identity) : [p.identity];
      const kind = event === 'lobby:admit' ? 'admit' : 'deny';
      for (const identity of identities) await runHostAction(ctx, socket, { kind, identity });
      return { kind, ok: true, count: identities.length };
    });
  }
}
