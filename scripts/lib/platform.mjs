import { join } from 'node:path';
import { migrateDatabase, startEmbeddedPostgres } from './database.mjs';
import { loadOrCreateDevKeys, startLivekitServer } from './livekit.mjs';
import { say } from './log.mjs';
import { ROOT } from './paths.mjs';
import { freePort, isPortFree } from './ports.mjs';
import { ServiceGroup, waitForHttp } from './processes.mjs';
import { ensureLivekitServer } from './tools.mjs';

/**
 * Starts the whole platform: database (embedded unless DATABASE_URL), migrations, livekit-server
 * (unless LIVEKIT_URL), the realtime server and the Next.js server. Used by `npm start` and by
 * the end-to-end tests, so the tests exercise exactly what users run.
 */
export async function startPlatform({
  env = process.env,
  webPort = 3000,
  realtimePort = 4000,
  livekitPort = 7880,
  dataDir,
  quiet = false,
  extraEnv = {},
  /** Restart the realtime and web servers when they crash (npm start), instead of failing. */
  supervise = false,
} = {}) {
  await assertPortsFree([
    [webPort, 'the web app', 'or set PORT to another port'],
    [realtimePort, 'the realtime server', 'or set REALTIME_PORT to another port'],
    ...(env.LIVEKIT_URL
      ? []
      : [
          [
            livekitPort,
            'livekit-server',
            'or set LIVEKIT_PORT to another port, or use that LiveKit with LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET',
          ],
        ]),
  ]);
  const group = new ServiceGroup({ quiet });
  try {
    const databaseUrl = env.DATABASE_URL || (await startEmbeddedPostgres(group, dataDir ? { dataDir } : {}));
    await migrateDatabase(databaseUrl);

    let livekit;
    if (env.LIVEKIT_URL) {
      livekit = { url: env.LIVEKIT_URL, apiKey: env.LIVEKIT_API_KEY, apiSecret: env.LIVEKIT_API_SECRET };
      say(`using LiveKit at ${livekit.url}`);
    } else {
      const binary = await ensureLivekitServer();
      const keys = loadOrCreateDevKeys();
      const rtcTcpPort = livekitPort === 7880 ? 7881 : await freePort();
      const rtcUdpPort = livekitPort === 7880 ? 7882 : await freePort();
      const started = await startLivekitServer(group, {
        binary,
        keys,
        port: livekitPort,
        rtcTcpPort,
        rtcUdpPort,
        webhookUrl: `http://127.0.0.1:${webPort}/api/livekit/webhook`,
      });
      livekit = { url: started.url, ...keys };
    }

    const publicUrl = env.PUBLIC_URL || `http://localhost:${webPort}`;
    // Without a configured public URL the app is opened as localhost or 127.0.0.1 (the e2e tests
    // use the latter): the realtime server must accept both origins.
    const allowedOrigins = env.PUBLIC_URL
      ? env.ALLOWED_ORIGINS
      : [env.ALLOWED_ORIGINS, `http://127.0.0.1:${webPort}`].filter(Boolean).join(',');
    const serviceEnv = {
      ...env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      DATABASE_URL: databaseUrl,
      LIVEKIT_URL: livekit.url,
      LIVEKIT_API_KEY: livekit.apiKey,
      LIVEKIT_API_SECRET: livekit.apiSecret,
      PORT: String(webPort),
      REALTIME_PORT: String(realtimePort),
      PUBLIC_URL: publicUrl,
      ...(allowedOrigins ? { ALLOWED_ORIGINS: allowedOrigins } : {}),
      ...extraEnv,
    };

    const realtime = group.start(
      'realtime',
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'api/src/realtime/main.ts')],
      // Its clients reconnect and resume chat from their last seq: a crash costs a few seconds.
      { env: serviceEnv, restart: supervise },
    );
    const web = group.start(
      'web',
      process.execPath,
      [join(ROOT, 'node_modules/next/dist/bin/next'), 'start', '--port', String(webPort)],
      { env: serviceEnv, cwd: join(ROOT, 'web'), restart: supervise },
    );
    await Promise.all([
      waitForHttp(`http://127.0.0.1:${realtimePort}/healthz`, { service: realtime }),
      waitForHttp(`http://127.0.0.1:${webPort}/api/health`, { service: web }),
    ]);
    return {
      group,
      webUrl: `http://127.0.0.1:${webPort}`,
      publicUrl,
      realtimeUrl: `http://127.0.0.1:${realtimePort}`,
      livekit,
      databaseUrl,
      env: serviceEnv,
      stop: () => group.stop(),
    };
  } catch (error) {
    await group.stop();
    throw error;
  }
}

/**
 * Refuses to start on a taken port: the readiness probes would otherwise get their answer from
 * whatever already listens there (say, a platform left from an earlier run) and report success.
 */
async function assertPortsFree(ports) {
  for (const [port, what, alternative] of ports) {
    if (!(await isPortFree(port))) {
      throw new Error(
        `port ${port}, wanted by ${what}, is already in use: stop what listens there, ${alternative}.`,
      );
    }
  }
}
