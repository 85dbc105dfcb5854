// `npm test`: set up what is missing, then run every tier — lint, types, unit, integration
// (real Postgres, Redis, livekit-server) and browser end-to-end (real Chromium).
//
// Media-bearing tests run inside a network namespace that has only `lo`, so no WebRTC packet can
// reach a non-loopback address by construction. PostgreSQL is reached there through its Unix
// socket; Redis and LiveKit are started inside the namespace.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fail, say, warn } from './lib/log.mjs';
import { canUseNetns, NETNS_SETUP } from './lib/netns.mjs';
import { ROOT } from './lib/paths.mjs';
import { run } from './lib/run.mjs';
import { ensureLivekitServer, ensureNpmDependencies, ensurePrismaClient } from './lib/tools.mjs';

const args = process.argv.slice(2);
const inner = args.includes('--inner');
const vitestArgs = args.filter((a) => a !== '--inner');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const started = Date.now();

async function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    say('installing Chromium (apt-get install -y chromium)…');
    await run('apt-get', ['install', '-y', '-qq', 'chromium'], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    return;
  }
  fail(
    `Chromium not found at ${CHROMIUM}. Install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH.`,
  );
}

/** Outside the namespace: installs, builds, static checks. */
async function outer() {
  await ensureNpmDependencies();
  await ensurePrismaClient();
  await ensureLivekitServer();
  await ensureChromium();
  say('lint + format check (biome)…');
  await run(join(ROOT, 'node_modules/.bin/biome'), ['check', '.']);
  say('type check (api, e2e, bench; the web app is checked by next build)…');
  await run(join(ROOT, 'node_modules/.bin/tsc'), ['-p', '.']);
  const { ensureWebBuild } = await import('./lib/build.mjs');
  await ensureWebBuild();
  if (canUseNetns()) {
    say('entering a loopback-only network namespace for the service tiers…');
    await run(
      'unshare',
      ['-n', '--', 'sh', '-c', NETNS_SETUP, process.execPath, 'scripts/test.mjs', '--inner', ...vitestArgs],
      {
        env: { ...process.env, CONVENE_IN_NETNS: '1' },
      },
    );
  } else {
    warn(
      'not root or no unshare: running service tiers in the host network namespace (media stays on 127.0.0.1 by config).',
    );
    await innerRun();
  }
}

/** The Postgres server to create scratch databases on. */
function adminDatabaseUrl() {
  const configured = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  const socketDir = '/var/run/postgresql';
  if (configured) {
    const url = new URL(configured);
    const isLocal = ['127.0.0.1', 'localhost', '::1'].includes(url.hostname);
    // Inside the namespace the host's TCP loopback is gone; the Unix socket is not.
    if (process.env.CONVENE_IN_NETNS && isLocal && existsSync(socketDir)) {
      return `postgresql://${url.username || 'postgres'}@localhost/${url.pathname.slice(1) || 'postgres'}?host=${socketDir}`;
    }
    return configured;
  }
  if (existsSync(join(socketDir, '.s.PGSQL.5432')))
    return `postgresql://postgres@localhost/postgres?host=${socketDir}`;
  return null;
}

async function innerRun() {
  const { ServiceGroup, stopAllServiceGroups } = await import('./lib/processes.mjs');
  const { createScratchDatabase, migrateDatabase, startEmbeddedPostgres } = await import(
    './lib/database.mjs'
  );
  const { startRedisServer } = await import('./lib/redis.mjs');
  const { freePort } = await import('./lib/ports.mjs');
  const { startPlatform } = await import('./lib/platform.mjs');
  const { ARTIFACTS_DIR } = await import('./lib/paths.mjs');
  const group = new ServiceGroup({ quiet: true });
  let platform;
  // Every group, not only `platform`: a signal may arrive while startPlatform is still starting.
  const cleanup = async () => {
    await platform?.stop();
    await stopAllServiceGroups();
  };
  process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));
  process.on('SIGTERM', () => void cleanup().then(() => process.exit(143)));
  try {
    let adminUrl = adminDatabaseUrl();
    if (!adminUrl) {
      warn('no PostgreSQL found: using the embedded one for tests');
      adminUrl = await startEmbeddedPostgres(group, { dataDir: join(ROOT, '.data', 'pglite-test') });
    }
    const databaseUrl = await createScratchDatabase(adminUrl, `convene_test_${process.pid}`);
    await migrateDatabase(databaseUrl);
    const redisUrl =
      process.env.CONVENE_IN_NETNS || !process.env.REDIS_URL
        ? (await startRedisServer(group)).url
        : process.env.REDIS_URL;

    platform = await startPlatform({
      env: { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, LIVEKIT_URL: '' },
      webPort: await freePort(),
      realtimePort: await freePort(),
      livekitPort: await freePort(),
      // CONVENE_SERVICE_LOGS=1 prints the services' output (e.g. a 500's logged cause), prefixed [web] etc.
      quiet: !process.env.CONVENE_SERVICE_LOGS,
      // Outgoing-webhook retries in milliseconds instead of seconds, so retry tests finish quickly.
      extraEnv: { LOG_LEVEL: process.env.CONVENE_SERVICE_LOG_LEVEL || 'warn', WEBHOOK_RETRY_BASE_MS: '300' },
    });
    say(
      `platform for tests: web ${platform.webUrl}, realtime ${platform.realtimeUrl}, livekit ${platform.livekit.url}`,
    );
    const testEnv = {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      TEST_DB_ADMIN_URL: adminUrl,
      REDIS_URL: redisUrl,
      LIVEKIT_URL: platform.livekit.url,
      LIVEKIT_API_KEY: platform.livekit.apiKey,
      LIVEKIT_API_SECRET: platform.livekit.apiSecret,
      CONVENE_WEB_URL: platform.webUrl,
      CONVENE_REALTIME_URL: platform.realtimeUrl,
      CHROMIUM_PATH: CHROMIUM,
      ARTIFACTS_DIR,
    };
    await run(join(ROOT, 'node_modules/.bin/vitest'), ['run', ...vitestArgs], { env: testEnv });
  } finally {
    await cleanup();
  }
}

try {
  if (inner) await innerRun();
  else await outer();
  if (!inner) say(`all tests passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
