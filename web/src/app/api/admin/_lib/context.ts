import 'server-only';
import { createAdminEventHub, type TAdminEventHub } from '@convene/api/admin/event-hub';
import type { TEnv } from '@convene/api/env';
import type { TRoomAdmin } from '@convene/api/livekit/room-admin';
import type { TModerationDeps } from '@convene/api/moderation/moderate-room';
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
    const { db, logger, roomAdmin, moderation } = webContext();
    globalForAdmin.conveneAdminContext = {
      env,
      roomAdmin,
      hub: createAdminEventHub({
        db,
        databaseUrl: env.DATABASE_URL,
        pollMs: env.ADMIN_EVENT_POLL_MS,
        logger: logger.child({ module: 'admin-events' }),
      }),
      moderation,
    };
  }
  return globalForAdmin.conveneAdminContext;
}
