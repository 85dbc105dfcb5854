import 'server-only';
import { createDb, type Db } from '@convene/api/db/client';
import { createRoomAdmin, type TRoomAdmin } from '@convene/api/livekit/room-admin';
import { createLogger, type Logger } from '@convene/api/logger';
import { createModerationControls } from '@convene/api/moderation/livekit-controls';
import type { TModerationDeps } from '@convene/api/moderation/moderate-room';
import { createHttpModerationNotifier } from '@convene/api/moderation/notifier';
import type { TInternalClientConfig } from '@convene/api/realtime/internal-client';
import { serverEnv } from '@/env';

interface TWebContext {
  db: Db;
  logger: Logger;
  livekitKeys: { apiKey: string; apiSecret: string };
  /** LiveKit's RoomService as this process reaches it (live rooms, participants, mutes). */
  roomAdmin: TRoomAdmin;
  /** The realtime server's internal endpoints: this process has no sockets of its own. */
  realtime: TInternalClientConfig;
  /** The one moderation wiring, shared by the REST API, the admin dashboard and the LiveKit webhook. */
  moderation: TModerationDeps;
}

const globalForContext = globalThis as unknown as { conveneContext?: TWebContext };

/**
 * Process-wide dependencies, created on first use. Kept on `globalThis` because Next.js loads
 * this module once per bundle (instrumentation, each route); whichever bundle comes first builds
 * the objects every other one then uses.
 */
export function webContext(): TWebContext {
  if (!globalForContext.conveneContext) {
    const env = serverEnv();
    const db = createDb(env.DATABASE_URL);
    const livekitKeys = { apiKey: env.LIVEKIT_API_KEY, apiSecret: env.LIVEKIT_API_SECRET };
    const roomAdmin = createRoomAdmin(env.LIVEKIT_URL, livekitKeys);
    const realtime = { realtimeUrl: env.REALTIME_INTERNAL_URL, livekitApiSecret: env.LIVEKIT_API_SECRET };
    globalForContext.conveneContext = {
      db,
      logger: createLogger(env.LOG_LEVEL, { service: 'web' }),
      livekitKeys,
      roomAdmin,
      realtime,
      moderation: {
        db,
        roomAdmin,
        controls: createModerationControls(env.LIVEKIT_URL, livekitKeys),
        // Live effects (tell, disconnect, apply roles) go through the realtime server.
        notifier: createHttpModerationNotifier(realtime),
      },
    };
  }
  return globalForContext.conveneContext;
}
