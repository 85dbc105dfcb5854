import 'server-only';
import { createDb, type Db } from '@convene/api/db/client';
import { createLogger, type Logger } from '@convene/api/logger';
import { serverEnv } from '@/env';

interface TWebContext {
  db: Db;
  logger: Logger;
  livekitKeys: { apiKey: string; apiSecret: string };
}

const globalForContext = globalThis as unknown as { conveneContext?: TWebContext };

/** Process-wide dependencies, created on first request. */
export function webContext(): TWebContext {
  if (!globalForContext.conveneContext) {
    const env = serverEnv();
    globalForContext.conveneContext = {
      db: createDb(env.DATABASE_URL),
      logger: createLogger(env.LOG_LEVEL, { service: 'web' }),
      livekitKeys: { apiKey: env.LIVEKIT_API_KEY, apiSecret: env.LIVEKIT_API_SECRET },
    };
  }
  return globalForContext.conveneContext;
}
