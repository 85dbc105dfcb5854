import type { ExtendedError } from 'socket.io';
import { AppError, toPublicError } from '../errors';
import type { TConnectionLimits } from '../rate-limit/token-bucket';
import { ConnectionLimiter } from '../rate-limit/token-bucket';
import { verifyJoinToken } from '../tokens/issue-join-token';
import type { TRealtimeContext, TSocket } from './types';

function refuse(error: unknown): ExtendedError {
  const { code, message } = toPublicError(error);
  return Object.assign(new Error(message), { data: { code, message } });
}

/**
 * The handshake: Origin allowlist, LiveKit token, room lookup. Room, identity and role come only
 * from the verified token. Requests without an Origin header (bots, server-side clients, tests)
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
    if (typeof token !== 'string' || token.length === 0 || token.length > 8192) {
      next(refuse(new AppError('UNAUTHENTICATED', 'An access token is required.')));
      return;
    }
    (async () => {
      const join = await verifyJoinToken(keys, token);
      const room = await ctx.db.room.findUnique({ where: { slug: join.room }, select: { id: true } });
      if (!room) throw new AppError('ROOM_NOT_FOUND');
      socket.data.join = join;
      socket.data.roomId = room.id;
      socket.data.limiter = new ConnectionLimiter(limits);
    })().then(
      () => next(),
      (error: unknown) => next(refuse(error)),
    );
  };
}
