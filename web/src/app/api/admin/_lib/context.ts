import 'server-only';
import { createAdminEventHub, type TAdminEventHub } from '@convene/api/admin/event-hub';
import type { TEnv } from '@convene/api/env';
import { serverEnv } from '@/env';
import { webContext } from '@/server/context';

interface TAdminContext {
  env: TEnv;
  hub: TAdminEventHub;
}

const globalForAdmin = globalThis as unknown as { conveneAdminContext?: TAdminContext };

/**
 * The admin live feed, one per web process (the hub holds one LISTEN connection). Room admin and
 * moderation are the process-wide ones in webContext(), shared with the REST API.
 */
export function adminContext(): TAdminContext {
  if (!globalForAdmin.conveneAdminContext) {
    const env = serverEnv();
    const { db, logger } = webContext();
    globalForAdmin.conveneAdminContext = {
      env,
      hub: createAdminEventHub({
        db,
        databaseUrl: env.DATABASE_URL,
        pollMs: env.ADMIN_EVENT_POLL_MS,
        logger: logger.child({ module: 'admin-events' }),
      }),
    };
  }
  return globalForAdmin.conveneAdminContext;
}
