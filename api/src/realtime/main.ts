import { createDb } from '../db/client';
import { EnvError, loadEnv, type TEnv } from '../env';
import { createLogger } from '../logger';
import { resolveInstanceId } from '../observability/instance';
import { attachRealtimeObservability } from '../observability/realtime';
import { immediateRecorder } from '../recording/recorder';
import { createRealtimeServer } from './server';
import { channelOf } from './types';

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
// RECORDER=embedded (default): a hidden rtc-node participant + ffmpeg per recording (docs/recording.md).
// Imported only when used, so RECORDER=none never loads the native LiveKit library.
// RECORDER=egress: LiveKit Egress workers record; their webhooks (web process) finalise the rows.
const recorder =
  env.RECORDER === 'embedded'
    ? (await import('../recording/embedded-recorder')).createEmbeddedRecorder({
        livekitUrl: env.LIVEKIT_URL,
        keys: { apiKey: env.LIVEKIT_API_KEY, apiSecret: env.LIVEKIT_API_SECRET },
        recordingsDir: env.RECORDINGS_DIR,
        ffmpegPath: env.FFMPEG_PATH,
        logger,
      })
    : env.RECORDER === 'egress'
      ? await import('../recording/egress-recorder').then((m) =>
          m.createEgressRecorder({
            livekitUrl: env.LIVEKIT_URL,
            keys: { apiKey: env.LIVEKIT_API_KEY, apiSecret: env.LIVEKIT_API_SECRET },
            output: m.egressOutputFromEnv(env),
            layout: env.EGRESS_LAYOUT,
            db,
            logger,
          }),
        )
      : undefined;
const server = createRealtimeServer({ env, db, logger, recorder: recorder ?? immediateRecorder });
// RECORDER=egress: webhooks that never arrived are made up for from the Egress API once a minute.
if (recorder && 'reconcile' in recorder) {
  let reconciling = false;
  setInterval(() => {
    if (reconciling) return;
    reconciling = true;
    recorder
      .reconcile((room, state) => server.io.to(channelOf(room)).emit('recording:state', state))
      .catch((error: unknown) => logger.warn({ err: error }, 'egress reconcile failed'))
      .finally(() => {
        reconciling = false;
      });
  }, 60_000).unref();
}
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
    // Finalise the files this process records and store them as ready before the database goes.
    await recorder?.stopAll();
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
