import { createServer, type Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Db } from '../db/client';
import type { TEnv } from '../env';
import { toPublicError } from '../errors';
import type { Logger } from '../logger';
import { verifyJoinToken } from '../tokens/issue-join-token';

export interface TRealtimeDeps {
  env: TEnv;
  db: Db;
  logger: Logger;
}

export interface TRealtimeServer {
  httpServer: HttpServer;
  io: Server;
  close(): Promise<void>;
}

/** Builds the realtime server without listening; `main.ts` (or a test) calls listen. */
export function createRealtimeServer({ env, logger }: TRealtimeDeps): TRealtimeServer {
  const log = logger.child({ module: 'realtime' });
  const httpServer = createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    res.writeHead(404).end();
  });
  const io = new Server(httpServer, {
    cors: { origin: env.ALLOWED_ORIGINS, credentials: false },
    maxHttpBufferSize: 64 * 1024,
  });
  const keys = { apiKey: env.LIVEKIT_API_KEY, apiSecret: env.LIVEKIT_API_SECRET };

  io.use((socket, next) => {
    const token: unknown = socket.handshake.auth?.token;
    if (typeof token !== 'string') {
      next(Object.assign(new Error('UNAUTHENTICATED'), { data: toPublicError(new Error()) }));
      return;
    }
    verifyJoinToken(keys, token).then(
      (join) => {
        socket.data.join = join;
        next();
      },
      (error: unknown) => next(Object.assign(new Error('UNAUTHENTICATED'), { data: toPublicError(error) })),
    );
  });

  io.on('connection', (socket) => {
    const join = socket.data.join;
    log.debug({ room: join.room, participant: join.identity }, 'connected');
    void socket.join(join.room);
  });

  return {
    httpServer,
    io,
    close: () =>
      new Promise<void>((resolve) => {
        io.close(() => resolve());
      }),
  };
}
