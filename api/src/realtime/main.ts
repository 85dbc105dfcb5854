import { createDb } from '../db/client';
import { EnvError, loadEnv, type TEnv } from '../env';
import { createLogger } from '../logger';
import { resolveInstanceId } from '../observability/instance';
import { attachRealtimeObservability } from '../observability/realtime';
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

const instance = resolveInstanceId(env);
const logger = createLogger(env.LOG_LEVEL, { service: 'realtime', instance });
const db = createDb(env.DATABASE_URL);
const server = createRealtimeServer({ env, db, logger });
// /healthz, /readyz, /metrics and the SIGTERM drain (docs/operations.md).
const ops = attachRealtimeObservability({ env, db, logger, server, instance });

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
  const forceExit = setTimeout(() => {
    logger.error({ timeoutSeconds: env.SHUTDOWN_TIMEOUT_SECONDS }, 'shutdown timed out');
    process.exit(1);
  }, env.SHUTDOWN_TIMEOUT_SECONDS * 1000);
  forceExit.unref();
  try {
    // SIGTERM drains: readiness false, new sessions refused (503), clients told `server:draining`
    // and moved at jittered moments once their acks are sent. SIGINT (Ctrl-C) skips the wait.
    if (signal === 'SIGTERM') await ops.drainClients(signal);
    // Stop accepting, then disconnect what is left (clients reconnect to another instance).
    server.httpServer.close();
    await server.close();
    ops.close();
    await db.$disconnect();
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, 'unclean shutdown');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
