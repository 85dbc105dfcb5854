import type { ExtendedError } from 'socket.io';
import { AppError, toPublicError } from '../errors';
import { verifyLobbyTicket } from '../lobby/lobby-ticket';
import { assertMayEnter } from '../moderation/room-lock';
import { assertNotRemoved } from '../moderation/room-members';
import type { TConnectionLimits } from '../rate-limit/token-bucket';
import { ConnectionLimiter } from '../rate-limit/token-bucket';
import { verifyJoinToken } from '../tokens/issue-join-token';
import type { TRealtimeContext, TSocket } from './types';

function refuse(error: unknown): ExtendedError {
  const { code, message } = toPublicError(error);
  return Object.assign(new Error(message), { data: { code, message } });
}

/**
 * The handshake: Origin allowlist, LiveKit token (or a lobby ticket: `auth: { lobbyTicket }`),
 * room lookup, host decisions (removed → FORBIDDEN; role changed → the new role; locked room →
 * ROOM_LOCKED for non-hosts not already inside). Room and identity come only from the verified token. Requests without an Origin header (bots, server-side clients, tests)
 * pass the origin check — a browser always sends one — but still need a valid token.
 * Failures reach the client as `connect_error` with `data: { code, message }`.
 */
export function createHandshake(ctx: TRealtimeContext, limits: TConnectionLimits) {
  const keys = { apiKey: ctx.env.LIVEKIT_API_KEY, apiSecret: ctx.env.LIVEKIT_API_SECRET };
  const allowedOrigins = new Set(ctx.env.ALLOWED_ORIGINS);
  return (socket: TSocket, next: (err?: ExtendedError) => void) => {
    const origin = socket.handshake.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(origin)) {
      next(refuse(new AppError('FORBIDDEN', 'This origin is not allowed.')));
      return;
    }
    const token: unknown = socket.handshake.auth?.token;
    const lobbyTicket: unknown = socket.handshake.auth?.lobbyTicket;
    const credential = typeof token === 'string' ? token : lobbyTicket;
    if (typeof credential !== 'string' || credential.length === 0 || credential.length > 8192) {
      next(refuse(new AppError('UNAUTHENTICATED', 'An access token is required.')));
      return;
    }
    (async () => {
      if (typeof token !== 'string') {
        // Lobby: no room access at all, only a place in the waiting list.
        const ticket = await verifyLobbyTicket(keys, credential);
        const room = await ctx.db.room.findUnique({
          where: { slug: ticket.room },
          select: { id: true, locked: true },
        });
        if (!room) throw new AppError('ROOM_NOT_FOUND');
        await assertNotRemoved(ctx.db, room.id, ticket.identity);
        // A locked room lets nobody new in, so nobody new starts waiting either.
        await assertMayEnter(ctx.db, room, ticket.identity, ticket.role);
        socket.data.join = {
          room: ticket.room,
          identity: ticket.identity,
          name: ticket.name,
          role: 'viewer',
          expiresAt: ticket.expiresAt,
        };
        socket.data.lobby = { name: ticket.name, since: Date.now(), role: ticket.role };
        socket.data.roomId = room.id;
        socket.data.limiter = new ConnectionLimiter(limits);
        return;
      }
      const join = await verifyJoinToken(keys, token);
      const room = await ctx.db.room.findUnique({
        where: { slug: join.room },
        select: { id: true, locked: true },
      });
      if (!room) throw new AppError('ROOM_NOT_FOUND');
      // Removed by a host: the old token no longer opens the room for this meeting.
      const decision = await assertNotRemoved(ctx.db, room.id, join.identity);
      // A role a host set during the meeting wins over the one in the (older) token.
      if (decision.role) join.role = decision.role;
      // Locked: nobody new; people already inside stay — in the realtime room (reconnecting
      // within the grace period, another tab) or in LiveKit's meeting.
      await assertMayEnter(ctx.db, room, join.identity, join.role, async () =>
        (await ctx.store.list(join.room, Date.now())).some((p) => p.identity === join.identity),
      );
      socket.data.join = join;
      socket.data.roomId = room.id;
      socket.data.limiter = new ConnectionLimiter(limits);
    })().then(
      () => next(),
      (error: unknown) => next(refuse(error)),
    );
  };
}
