import { createDb } from '../db/client';
import { EnvError, loadEnv, type TEnv } from '../env';
import { createLogger } from '../logger';
import { createRealtimeServer } from './server';

let env: TEnv;
try {
  env = loadEnv();
} catch (error) {
  if (error instanceof EnvError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

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
  // Stop accepting first, then disconnect sockets (clients reconnect to another instance).
  server.httpServer.close();
  const forceExit = setTimeout(() => process.exit(1), 10_000);
  forceExit.unref();
  try {
    await server.close();
    await db.$disconnect();
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, 'unclean shutdown');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
