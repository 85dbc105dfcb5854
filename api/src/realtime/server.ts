import { createServer, type Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis, type RedisOptions } from 'ioredis';
import pg from 'pg';
import { Server } from 'socket.io';
import { ChatWriter, type TChatWriterOptions } from '../chat/chat-writer';
import { pgSql } from '../chat/sql';
import type { Db } from '../db/client';
import type { TEnv } from '../env';
import { createRoomAdmin } from '../livekit/room-admin';
import type { Logger } from '../logger';
import { createModerationControls } from '../moderation/livekit-controls';
import { resolveInstanceId } from '../observability/instance';
import { MemoryPresenceStore } from '../presence/memory-store';
import { RedisPresenceStore } from '../presence/redis-store';
import type { PresenceStore } from '../presence/store';
import { updatesForLeft } from '../presence/track-presence';
import { DEFAULT_CONNECTION_LIMITS, type TConnectionLimits } from '../rate-limit/token-bucket';
import { failOrphanedRecordings, stopOwnedRecording } from '../recording/control-recording';
import { objectStoreFor } from '../recording/object-store';
import { immediateRecorder, type Recorder } from '../recording/recorder';
import { sweepExpiredRecordings } from '../recording/retention';
import { ZRecordingHeld, ZRecordingStopOwned } from '../recording/schemas';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents } from './contract';
import { registerChatHandlers } from './handlers/chat';
import { registerHandHandlers } from './handlers/hands';
import { registerLobbyHostHandlers, registerLobbyWaiter } from './handlers/lobby';
import { registerModerationHandlers } from './handlers/moderation';
import { trackPresence } from './handlers/presence';
import { registerQualityHandlers } from './handlers/quality';
import { registerReactionHandlers } from './handlers/reactions';
import { registerRecordingHandlers } from './handlers/recording';
import { createHandshake } from './handshake';
import { createHttpHandler } from './internal-http';
import { applyModerationNotice, applyRoleLocally, identityChannelOf } from './moderation-notices';
import { rebuildLocalPresence } from './rebuild-presence';
import { askRecordingHeld, relayRecordingStop } from './recording-relay';
import { channelOf, type SocketData, type TIo, type TRealtimeContext } from './types';

export interface TRealtimeDeps {
  env: TEnv;
  db: Db;
  logger: Logger;
  /** The recorder port; the recording issue plugs in the real one. */
  recorder?: Recorder;
  /** Per-connection rate limits (the benchmark raises them; production keeps the defaults). */
  limits?: TConnectionLimits;
  /** Group-commit tuning of the chat writer. */
  chatWriter?: TChatWriterOptions;
  /** Prefix of every Redis key and stream, so separate deployments (or test runs) can share a Redis. */
  redisPrefix?: string;
  /** This process's INSTANCE_ID (recordings it holds are routed here); default resolveInstanceId(env). */
  instanceId?: string;
  /** How often the recording retention sweep runs when RECORDINGS_RETENTION_DAYS > 0 (default hourly). */
  recordingSweepMs?: number;
  /** How often active recordings nobody holds any more are looked for (default every minute). */
  orphanSweepMs?: number;
}

export interface TRealtimeServer {
  httpServer: HttpServer;
  io: TIo;
  /** The chat group-commit writer (observability times its commits). */
  writer: ChatWriter;
  /** Stops accepting, disconnects every socket (their participants enter the grace period), closes. */
  close(): Promise<void>;
}

/** Largest Socket.IO packet; chat text is further capped by the contract (4000 chars). */
export const MAX_HTTP_BUFFER_SIZE = 64 * 1024;

/** Connections of the chat write path (shared by all rooms of this instance). */
const CHAT_POOL_SIZE = 8;

/**
 * Builds the realtime server without listening; `main.ts` (or a test) calls listen.
 * With REDIS_URL, instances share rooms through the Redis Streams adapter and presence lives in
 * Redis; without it, one process holds everything in memory.
 */
export function createRealtimeServer(deps: TRealtimeDeps): TRealtimeServer {
  const { env, db } = deps;
  const logger = deps.logger.child({ module: 'realtime' });
  const prefix = deps.redisPrefix ?? 'convene';
  let ctx: TRealtimeContext | undefined;
  const httpServer = createServer(createHttpHandler(() => ctx!));

  const io: TIo = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(
    httpServer,
    {
      cors: { origin: env.ALLOWED_ORIGINS, credentials: false },
      maxHttpBufferSize: MAX_HTTP_BUFFER_SIZE,
      transports: ['polling', 'websocket'],
      serveClient: false,
    },
  );

  let redis: Redis | undefined;
  let store: PresenceStore;
  if (env.REDIS_URL) {
    redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 3 });
    redis.on('error', (error) => logger.warn({ err: error }, 'redis error'));
    handleFireAndForgetPublishes(redis, logger);
    letAdapterConnectionsWait(redis);
    io.adapter(
      createAdapter(redis, {
        streamName: `${prefix}:socket.io`,
        channelPrefix: `${prefix}:socket.io`,
        sessionKeyPrefix: `${prefix}:socket.io:session:`,
        onlyPlaintext: true,
        blockTimeInMs: 1000,
      }),
    );
    store = new RedisPresenceStore(redis, prefix);
  } else {
    store = new MemoryPresenceStore();
  }

  // The chat hot path gets its own small pool: each room has at most maxInFlight statements
  // running, and rooms write in parallel up to the pool's size.
  const chatPool = new pg.Pool({ connectionString: env.DATABASE_URL, max: CHAT_POOL_SIZE });
  chatPool.on('error', (error) => logger.warn({ err: error }, 'chat pool error'));
  const writer = new ChatWriter(pgSql(chatPool), logger, deps.chatWriter);
  const livekitKeys = { apiKey: env.LIVEKIT_API_KEY, apiSecret: env.LIVEKIT_API_SECRET };
  ctx = {
    io,
    env,
    db,
    logger,
    store,
    writer,
    recording: {
      db,
      logger,
      recorder: deps.recorder ?? immediateRecorder,
      publish: (room, state) => io.to(channelOf(room)).emit('recording:state', state),
      instanceId: deps.instanceId ?? resolveInstanceId(env),
      // Without Redis this process is the only instance: nobody to relay a stop to.
      ...(redis
        ? {
            relayStop: (input: { room: string; recordingId: string }) => relayRecordingStop(io, input),
            askHeld: (recordingId: string) => askRecordingHeld(io, recordingId),
          }
        : {}),
    },
    moderation: {
      db,
      roomAdmin: createRoomAdmin(env.LIVEKIT_URL, livekitKeys),
      controls: createModerationControls(env.LIVEKIT_URL, livekitKeys),
      notifier: { notify: (notice) => applyModerationNotice(ctx!, notice) },
    },
  };
  const context = ctx;
  // After a Redis restart (presence is not persisted) put this instance's sockets back.
  let redisWasReady = false;
  redis?.on('ready', () => {
    if (!redisWasReady) {
      redisWasReady = true;
      return;
    }
    rebuildLocalPresence(context).then(
      (count) => logger.warn({ count }, 'redis reconnected: presence re-registered'),
      (error: unknown) => logger.error({ err: error }, 'presence rebuild failed'),
    );
  });
  // Role changes made through another instance reach this one's sockets.
  io.on('moderation:apply-role', ({ room, identity, role }) =>
    applyRoleLocally(context, room, identity, role),
  );
  // A stop that reached another instance, for a recording this process's recorder may hold.
  io.on('recording:stop-owned', (payload, ack) => {
    const parsed = ZRecordingStopOwned.safeParse(payload);
    ack(parsed.success && stopOwnedRecording(context.recording, parsed.data));
  });
  io.on('recording:held', (payload, ack) => {
    const parsed = ZRecordingHeld.safeParse(payload);
    ack(parsed.success && context.recording.recorder.owns?.(parsed.data.recordingId) === true);
  });

  io.use(createHandshake(context, deps.limits ?? DEFAULT_CONNECTION_LIMITS));

  // Disconnect work still running when close() is called; close waits for it before quitting Redis.
  const pendingDisconnects = new Set<Promise<void>>();
  const trackPending = (work: Promise<void>) => {
    const done = work.finally(() => pendingDisconnects.delete(done));
    pendingDisconnects.add(done);
  };
  io.on('connection', (socket) => {
    if (socket.data.lobby) {
      // Waiting in the lobby: no room handlers at all, only a place in the list.
      const onLobbyDisconnect = registerLobbyWaiter(context, socket);
      socket.on('disconnect', () => {
        trackPending(
          onLobbyDisconnect().catch((error: unknown) => logger.warn({ err: error }, 'lobby leave failed')),
        );
      });
      return;
    }
    const { room, identity } = socket.data.join;
    void socket.join(identityChannelOf(room, identity));
    // Handlers first (synchronously), so no event sent right after connecting is lost.
    registerModerationHandlers(context, socket);
    registerLobbyHostHandlers(context, socket);
    registerChatHandlers(context, socket);
    registerHandHandlers(context, socket);
    registerReactionHandlers(context, socket);
    registerQualityHandlers(context, socket);
    registerRecordingHandlers(context, socket);
    const onDisconnect = trackPresence(context, socket);
    db.room
      .findUnique({ where: { id: socket.data.roomId }, select: { locked: true, lobbyEnabled: true } })
      .then((r) => r && socket.emit('room:state', { locked: r.locked, lobbyEnabled: r.lobbyEnabled }))
      .catch((error: unknown) => logger.warn({ err: error }, 'room state failed'));
    socket.on('disconnect', () => {
      trackPending(
        onDisconnect().catch((error: unknown) => logger.error({ err: error }, 'presence disconnect failed')),
      );
    });
  });

  // Grace periods end here. Every instance sweeps; the store hands each departure to one of them.
  const sweepMs = Math.min(1000, (env.PRESENCE_GRACE_SECONDS * 1000) / 4);
  let sweeping = false;
  const sweeper = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    store
      .sweep(Date.now())
      .then((left) => {
        for (const l of left) {
          for (const update of updatesForLeft(l)) io.to(channelOf(l.room)).emit('presence:update', update);
        }
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'presence sweep failed'))
      .finally(() => {
        sweeping = false;
      });
  }, sweepMs);
  sweeper.unref();

  // Recording retention: every instance sweeps (idempotent deletes), so no leader is needed.
  let recordingSweeper: NodeJS.Timeout | undefined;
  if (env.RECORDINGS_RETENTION_DAYS > 0) {
    let sweepingRecordings = false;
    const sweepRecordings = () => {
      if (sweepingRecordings) return;
      sweepingRecordings = true;
      sweepExpiredRecordings(db, {
        retentionDays: env.RECORDINGS_RETENTION_DAYS,
        logger,
        objectStore: objectStoreFor(env),
      })
        .catch((error: unknown) => logger.warn({ err: error }, 'recording retention sweep failed'))
        .finally(() => {
          sweepingRecordings = false;
        });
    };
    recordingSweeper = setInterval(sweepRecordings, deps.recordingSweepMs ?? 3_600_000);
    recordingSweeper.unref();
    setTimeout(sweepRecordings, Math.min(deps.recordingSweepMs ?? 60_000, 60_000)).unref();
  }

  // Active recordings whose holder is gone (crash, restart) end as failed instead of staying active.
  let orphanSweeper: NodeJS.Timeout | undefined;
  if (context.recording.recorder.owns) {
    let sweepingOrphans = false;
    orphanSweeper = setInterval(() => {
      if (sweepingOrphans) return;
      sweepingOrphans = true;
      failOrphanedRecordings(context.recording)
        .catch((error: unknown) => logger.warn({ err: error }, 'orphaned recording sweep failed'))
        .finally(() => {
          sweepingOrphans = false;
        });
    }, deps.orphanSweepMs ?? 60_000);
    orphanSweeper.unref();
  }

  return {
    httpServer,
    io,
    writer,
    async close() {
      clearInterval(sweeper);
      clearInterval(recordingSweeper);
      clearInterval(orphanSweeper);
      // `io.local`: with the Redis adapter a plain `io.disconnectSockets` is broadcast and would
      // disconnect every instance's clients, not just this one's (found by the cluster test).
      io.local.disconnectSockets(true);
      await Promise.all([...pendingDisconnects]);
      await new Promise<void>((resolve) => {
        io.close(() => resolve());
      });
      await store.close();
      await chatPool.end();
      if (redis) await redis.quit().catch(() => redis?.disconnect());
    },
  };
}

/**
 * The Streams adapter reads and subscribes on connections it duplicates from ours, and does not
 * catch its SUBSCRIBE: with Redis down at boot, that command failing after our 3 retries was an
 * unhandled rejection that killed the process. Its connections' commands wait for Redis instead
 * (ioredis resubscribes on reconnect); readiness reports Redis down meanwhile.
 */
function letAdapterConnectionsWait(redis: Redis): void {
  const duplicate = redis.duplicate.bind(redis);
  redis.duplicate = ((override?: Partial<RedisOptions>) =>
    duplicate({ ...override, maxRetriesPerRequest: null })) as typeof redis.duplicate;
}

/**
 * The streams adapter sends ephemeral messages (serverSideEmit, fetchSockets) with PUBLISH and
 * drops the promise; a failure there (Redis down, or closing) would surface as an unhandled
 * rejection. Each such promise gets a handler; callers that await it still see the error.
 */
function handleFireAndForgetPublishes(redis: Redis, logger: Logger): void {
  const publish = redis.publish.bind(redis) as (channel: string, message: Buffer | string) => Promise<number>;
  redis.publish = ((channel: string, message: Buffer | string) => {
    const sent = publish(channel, message);
    sent.catch((error: unknown) => logger.debug({ err: error }, 'redis publish failed'));
    return sent;
  }) as typeof redis.publish;
}
