import 'server-only';
import { createAdminEventHub, type TAdminEventHub } from '@convene/api/admin/event-hub';
import type { TEnv } from '@convene/api/env';
import { createRoomAdmin, type TRoomAdmin } from '@convene/api/livekit/room-admin';
import { createModerationControls } from '@convene/api/moderation/livekit-controls';
import type { TModerationDeps } from '@convene/api/moderation/moderate-room';
import { createHttpModerationNotifier } from '@convene/api/moderation/notifier';
import { serverEnv } from '@/env';
import { webContext } from '@/server/context';

interface TAdminContext {
  env: TEnv;
  hub: TAdminEventHub;
  roomAdmin: TRoomAdmin;
  moderation: TModerationDeps;
}

const globalForAdmin = globalThis as unknown as { conveneAdminContext?: TAdminContext };

/** Admin dashboard dependencies, one set per web process (the hub holds one LISTEN connection). */
export function adminContext(): TAdminContext {
  if (!globalForAdmin.conveneAdminContext) {
    const env = serverEnv();
    const { db, logger, livekitKeys } = webContext();
    const roomAdmin = createRoomAdmin(env.LIVEKIT_URL, livekitKeys);
    globalForAdmin.conveneAdminContext = {
      env,
      roomAdmin,
      hub: createAdminEventHub({
        db,
        databaseUrl: env.DATABASE_URL,
        pollMs: env.ADMIN_EVENT_POLL_MS,
        logger: logger.child({ module: 'admin-events' }),
      }),
      moderation: {
        db,
        roomAdmin,
        controls: createModerationControls(env.LIVEKIT_URL, livekitKeys),
        // Live effects (tell, disconnect, apply roles) go through the realtime server.
        notifier: createHttpModerationNotifier({
          realtimeUrl: env.REALTIME_INTERNAL_URL ?? `http://127.0.0.1:${env.REALTIME_PORT}`,
          livekitApiSecret: env.LIVEKIT_API_SECRET,
        }),
      },
    };
  }
  return globalForAdmin.conveneAdminContext;
}
