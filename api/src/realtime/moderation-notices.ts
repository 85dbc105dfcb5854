import type { TLobbyEntry } from '../moderation/host-events';
import type { TModerationNotice } from '../moderation/schemas';
import type { TPresenceUpdate } from '../presence/schemas';
import { markParticipantLeftFromLivekit } from '../presence/track-presence';
import { issueJoinToken } from '../tokens/issue-join-token';
import { permissionsFor, type TRole } from '../tokens/policy';
import { channelOf, type TRealtimeContext } from './types';

/** Every socket of one participant in one room (all tabs, all instances). */
export function identityChannelOf(room: string, identity: string): string {
  return `member:${room}:${identity}`;
}

/** Sockets allowed to moderate the room (they get `lobby:update`). */
export function hostsChannelOf(room: string): string {
  return `hosts:${room}`;
}

/** Sockets waiting in the room's lobby. */
export function lobbyChannelOf(room: string): string {
  return `lobby:${room}`;
}

/** One waiting browser's lobby sockets. */
export function lobbyIdentityChannelOf(room: string, identity: string): string {
  return `lobby:${room}:${identity}`;
}

/** Who waits in the lobby, across instances, one entry per identity, longest waiting first. */
export async function listLobby(ctx: TRealtimeContext, room: string): Promise<TLobbyEntry[]> {
  const sockets = await ctx.io.in(lobbyChannelOf(room)).fetchSockets();
  const byIdentity = new Map<string, TLobbyEntry>();
  for (const s of sockets) {
    const lobby = s.data.lobby;
    if (!lobby) continue;
    const known = byIdentity.get(s.data.join.identity);
    if (!known || known.since > lobby.since) {
      byIdentity.set(s.data.join.identity, {
        identity: s.data.join.identity,
        name: lobby.name,
        since: lobby.since,
      });
    }
  }
  return [...byIdentity.values()].sort((a, b) => a.since - b.since);
}

/** Sends the current lobby to the room's hosts. */
export async function publishLobby(ctx: TRealtimeContext, room: string): Promise<void> {
  const waiting = await listLobby(ctx, room);
  ctx.io.to(hostsChannelOf(room)).emit('lobby:update', { waiting });
}

/**
 * Applies a role change to this instance's sockets of `identity`: the role every later event of
 * theirs is checked against (handlers read `socket.data.join` at call time) and host membership;
 * then tells this instance's sockets of the room (`presence:update` kind `role`). Each instance
 * tells its own sockets right after applying, because the adapter carries `serverSideEmit`
 * (Redis pub/sub) and broadcasts (the Redis stream) separately, in no shared order: a broadcast
 * could reach a client before its instance had applied the role, and a Record button shown
 * then would be refused.
 */
export function applyRoleLocally(ctx: TRealtimeContext, room: string, identity: string, role: TRole): void {
  const ids = ctx.io.of('/').adapter.rooms.get(identityChannelOf(room, identity));
  for (const id of ids ?? []) {
    const socket = ctx.io.of('/').sockets.get(id);
    if (!socket) continue;
    // Mutated in place: handlers registered at connect hold this same object.
    socket.data.join.role = role;
    if (permissionsFor(role).canModerate) {
      void socket.join(hostsChannelOf(room));
      void listLobby(ctx, room).then((waiting) => socket.emit('lobby:update', { waiting }));
    } else {
      void socket.leave(hostsChannelOf(room));
    }
  }
  const update: TPresenceUpdate = { kind: 'role', identity, role };
  ctx.io.local.to(channelOf(room)).emit('presence:update', update);
}

type TOperator = Pick<TRealtimeContext['io'], 'to' | 'in'>;

/**
 * Tells the sockets in `channels`, then disconnects them. The cluster adapter publishes to Redis
 * before it applies anything locally (emits, leaves, disconnects), so the order and a following
 * `fetchSockets` are only certain if this instance acts locally first; other instances then apply
 * the same (in order) from the stream, where the local sockets are already gone (no duplicates).
 */
function tellAndDisconnect(
  ctx: TRealtimeContext,
  channels: string[],
  tell: (op: TOperator) => void,
  disconnectAfterMs = 0,
): void {
  for (const op of [ctx.io.local, ctx.io] as TOperator[]) {
    tell(op);
    const disconnect = () => op.in(channels).disconnectSockets(true);
    if (disconnectAfterMs > 0) setTimeout(disconnect, disconnectAfterMs).unref();
    else disconnect();
  }
}

async function countSockets(ctx: TRealtimeContext, channel: string): Promise<number> {
  return (await ctx.io.in(channel).fetchSockets()).length;
}

/**
 * Carries out a moderation notice on live connections (this instance and, through the adapter,
 * every other): tells the people concerned, disconnects, hands out admission tokens. Returns how
 * many sockets it concerned.
 */
export async function applyModerationNotice(
  ctx: TRealtimeContext,
  notice: TModerationNotice,
): Promise<{ sockets: number }> {
  const { io } = ctx;
  const room = notice.room;
  switch (notice.kind) {
    case 'muted':
    case 'unmute_requested': {
      const channel = identityChannelOf(room, notice.identity);
      const payload = { by: notice.by, audio: notice.audio, video: notice.video };
      io.to(channel).emit(
        notice.kind === 'muted' ? 'moderation:muted' : 'moderation:unmute-requested',
        payload,
      );
      return { sockets: await countSockets(ctx, channel) };
    }
    case 'removed': {
      const channel = identityChannelOf(room, notice.identity);
      const sockets = await countSockets(ctx, channel);
      tellAndDisconnect(ctx, [channel, lobbyIdentityChannelOf(room, notice.identity)], (op) =>
        op.to(channel).emit('moderation:removed', { by: notice.by }),
      );
      // They are gone for good: no grace period ("reconnecting") in everyone's list.
      setTimeout(() => {
        markParticipantLeftFromLivekit(ctx.store, room, notice.identity)
          .then((updates) => {
            for (const update of updates) io.to(channelOf(room)).emit('presence:update', update);
          })
          .catch((error: unknown) =>
            ctx.logger.warn({ err: error, room }, 'presence leave after removal failed'),
          );
      }, 250).unref();
      return { sockets };
    }
    case 'role_changed': {
      const channel = identityChannelOf(room, notice.identity);
      // The shared presence record first: a socket connecting from now on is synced with it.
      await ctx.store.setRole(room, notice.identity, notice.role);
      applyRoleLocally(ctx, room, notice.identity, notice.role);
      io.serverSideEmit('moderation:apply-role', { room, identity: notice.identity, role: notice.role });
      io.to(channelOf(room)).emit('moderation:role', {
        identity: notice.identity,
        role: notice.role,
        by: notice.by,
      });
      return { sockets: await countSockets(ctx, channel) };
    }
    case 'room_state': {
      io.to(channelOf(room)).emit('room:state', { locked: notice.locked, lobbyEnabled: notice.lobbyEnabled });
      if (!notice.lobbyEnabled) {
        // Lobby turned off: whoever was waiting comes in as the lobby would have let them.
        for (const w of await listLobby(ctx, room)) {
          await applyModerationNotice(ctx, {
            kind: 'admitted',
            room,
            identity: w.identity,
            by: { identity: '', name: '' },
          });
        }
      }
      return { sockets: 0 };
    }
    case 'ended': {
      const sockets =
        (await countSockets(ctx, channelOf(room))) + (await countSockets(ctx, lobbyChannelOf(room)));
      const channels = [channelOf(room), lobbyChannelOf(room)];
      // Disconnected a moment later, so the ending host's own ack still arrives.
      tellAndDisconnect(ctx, channels, (op) => op.to(channels).emit('room:ended', { by: notice.by }), 250);
      return { sockets };
    }
    case 'admitted': {
      const channel = lobbyIdentityChannelOf(room, notice.identity);
      const waiting = await io.in(channel).fetchSockets();
      const first = waiting[0];
      if (first) {
        const role = notice.role ?? first.data.lobby?.role ?? 'participant';
        const token = await issueJoinToken(
          { apiKey: ctx.env.LIVEKIT_API_KEY, apiSecret: ctx.env.LIVEKIT_API_SECRET },
          {
            room,
            identity: notice.identity,
            name: first.data.lobby?.name ?? first.data.join.name,
            role,
            ttlSeconds: ctx.env.TOKEN_TTL_SECONDS,
          },
        );
        const admission = {
          token: token.token,
          expiresAt: token.expiresAt,
          identity: notice.identity,
          role,
        };
        // Admitted: they leave the lobby list now (their sockets close when they join).
        // Locally first, as in tellAndDisconnect.
        for (const op of [io.local, io] as TOperator[]) {
          op.to(channel).emit('lobby:admitted', admission);
          op.in(channel).socketsLeave([channel, lobbyChannelOf(room)]);
        }
      }
      await publishLobby(ctx, room);
      return { sockets: waiting.length };
    }
    case 'denied': {
      const channel = lobbyIdentityChannelOf(room, notice.identity);
      const sockets = await countSockets(ctx, channel);
      tellAndDisconnect(ctx, [channel], (op) => op.to(channel).emit('lobby:denied', { by: notice.by }));
      await publishLobby(ctx, room);
      return { sockets };
    }
  }
}
