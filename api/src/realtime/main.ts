import { createDb } from '../db/client';
import { loadEnv } from '../env';
import { createLogger } from '../logger';
import { createRealtimeServer } from './server';

const env = loadEnv();
const logger = createLogger(env.LOG_LEVEL, { service: 'realtime' });
const db = createDb(env.DATABASE_URL);
const server = createRealtimeServer({ env, db, logger });

server.httpServer.listen(env.REALTIME_PORT, '0.0.0.0', () => {
  const address = server.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : env.REALTIME_PORT;
  logger.info({ port }, 'realtime server listening');
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'realtime server stopping');
  await server.close();
  await db.$disconnect();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
