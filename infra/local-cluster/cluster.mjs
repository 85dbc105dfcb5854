// The production topology on one machine: 2 livekit-server nodes sharing one Redis, 2 realtime
// instances, 2 web instances and nginx in front (config from infra/nginx/render.ts), all on
// 127.0.0.1. Used by `npm run cluster:up` and by the chaos test (e2e/cluster), which also
// stops, kills and restarts single processes through the handles returned here.
// Needs the tsx loader (it imports the TypeScript nginx renderer): run with `node --import tsx`.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createScratchDatabase,
  migrateDatabase,
  startEmbeddedPostgres,
} from '../../scripts/lib/database.mjs';
import { loadOrCreateDevKeys, startLivekitServer } from '../../scripts/lib/livekit.mjs';
import { say } from '../../scripts/lib/log.mjs';
import { ROOT } from '../../scripts/lib/paths.mjs';
import { freePort } from '../../scripts/lib/ports.mjs';
import { ServiceGroup, sleep, waitForHttp } from '../../scripts/lib/processes.mjs';
import { startRedisServer } from '../../scripts/lib/redis.mjs';
import { ensureLivekitServer } from '../../scripts/lib/tools.mjs';
import { renderNginxConfig } from '../nginx/render.ts';

async function dropDatabase(adminUrl, name) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await client.end();
  }
}

/** Fixed ports for `npm run cluster:up` (the test asks the OS for free ones). */
export const DEFAULT_PORTS = {
  nginx: 8080,
  web: [3101, 3102],
  realtime: [4101, 4102],
  livekit: [8881, 8882],
  livekitTcp: [8891, 8892],
  livekitUdp: [8893, 8894],
  redis: 6391,
};

async function pickPorts(fixed) {
  if (fixed) return DEFAULT_PORTS;
  const many = (n) => Promise.all(Array.from({ length: n }, () => freePort()));
  return {
    nginx: await freePort(),
    web: await many(2),
    realtime: await many(2),
    livekit: await many(2),
    livekitTcp: await many(2),
    livekitUdp: await many(2),
    redis: await freePort(),
  };
}

/** The Postgres to create the cluster database on: DATABASE_URL, the local socket, or embedded. */
async function adminDatabaseUrl(group, dir) {
  const configured = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  const socketDir = '/var/run/postgresql';
  if (configured) {
    const url = new URL(configured);
    const isLocal = ['127.0.0.1', 'localhost', '::1'].includes(url.hostname);
    // Inside a network namespace the host's TCP loopback is gone; its Unix socket is not.
    if (process.env.CONVENE_IN_NETNS && isLocal && existsSync(socketDir)) {
      return `postgresql://${url.username || 'postgres'}@localhost/${url.pathname.slice(1) || 'postgres'}?host=${socketDir}`;
    }
    return configured;
  }
  if (existsSync(join(socketDir, '.s.PGSQL.5432')))
    return `postgresql://postgres@localhost/postgres?host=${socketDir}`;
  return startEmbeddedPostgres(group, { dataDir: join(dir, 'pglite') });
}

/**
 * Starts the cluster. Returns handles to signal, kill and restart each process.
 * @param {{ fixedPorts?: boolean, quiet?: boolean, dir?: string, drainSpreadMs?: number }} options
 */
export async function startLocalCluster({
  fixedPorts = false,
  quiet = true,
  dir,
  drainSpreadMs = 2000,
} = {}) {
  const clusterDir = dir ?? join(ROOT, '.data', 'cluster');
  const tempDir = join(clusterDir, 'nginx-temp');
  mkdirSync(tempDir, { recursive: true, mode: 0o777 });
  const group = new ServiceGroup({ quiet });
  /** Processes the caller stops on purpose: their exit is not a failure. */
  const expectedExits = new Set();
  group.onUnexpectedExit = (name, code, tail) => {
    if (expectedExits.has(name)) return;
    console.error(`[cluster] ${name} exited unexpectedly (${code}):\n${tail.slice(-10).join('\n')}`);
  };
  const ports = await pickPorts(fixedPorts);
  const nginxUrl = `http://127.0.0.1:${ports.nginx}`;

  try {
    const adminUrl = await adminDatabaseUrl(group, clusterDir);
    const databaseName = `convene_cluster_${fixedPorts ? 'dev' : process.pid}`;
    const databaseUrl = await createScratchDatabase(adminUrl, databaseName);
    await migrateDatabase(databaseUrl);

    const redis = { url: `redis://127.0.0.1:${ports.redis}`, service: undefined };
    const startRedis = async () => {
      redis.service = (await startRedisServer(group, { port: ports.redis, name: 'redis' })).service;
    };
    await startRedis();

    const binary = await ensureLivekitServer();
    const keys = loadOrCreateDevKeys();
    const livekit = await Promise.all(
      [0, 1].map(async (i) => {
        const started = await startLivekitServer(group, {
          binary,
          keys,
          name: `livekit-${i + 1}`,
          port: ports.livekit[i],
          rtcTcpPort: ports.livekitTcp[i],
          rtcUdpPort: ports.livekitUdp[i],
          webhookUrl: `${nginxUrl}/api/livekit/webhook`,
          redisUrl: redis.url,
        });
        return { name: `livekit-${i + 1}`, url: started.url, service: started.service };
      }),
    );

    const baseEnv = {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      LOG_LEVEL: process.env.CLUSTER_LOG_LEVEL ?? 'warn',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      LIVEKIT_API_KEY: keys.apiKey,
      LIVEKIT_API_SECRET: keys.apiSecret,
      LIVEKIT_PUBLIC_URL: nginxUrl.replace('http', 'ws'),
      PUBLIC_URL: nginxUrl,
      REALTIME_PUBLIC_URL: nginxUrl,
      ALLOWED_ORIGINS: `http://localhost:${ports.nginx}`,
      DRAIN_SPREAD_MS: String(drainSpreadMs),
      SHUTDOWN_TIMEOUT_SECONDS: '20',
    };

    /** A restartable process: start() (again after it exited), signal(), waitExit(). */
    const processHandle = (name, startFn, readyUrl) => {
      const handle = {
        name,
        service: undefined,
        readyUrl,
        async start() {
          expectedExits.delete(name);
          handle.service = startFn();
          await waitForHttp(readyUrl, { service: handle.service, timeoutMs: 90_000 });
          return handle;
        },
        signal(signal) {
          expectedExits.add(name);
          process.kill(-handle.service.child.pid, signal);
        },
        waitExit: () => handle.service.exited,
      };
      return handle;
    };

    const realtime = [0, 1].map((i) =>
      processHandle(
        `realtime-${i + 1}`,
        () =>
          group.start(
            `realtime-${i + 1}`,
            process.execPath,
            ['--import', 'tsx', join(ROOT, 'api/src/realtime/main.ts')],
            {
              env: {
                ...baseEnv,
                INSTANCE_ID: `realtime-${i + 1}`,
                REALTIME_PORT: String(ports.realtime[i]),
                LIVEKIT_URL: livekit[i].url,
              },
            },
          ),
        `http://127.0.0.1:${ports.realtime[i]}/healthz`,
      ),
    );
    const web = [0, 1].map((i) =>
      processHandle(
        `web-${i + 1}`,
        () =>
          group.start(
            `web-${i + 1}`,
            process.execPath,
            [
              join(ROOT, 'node_modules/next/dist/bin/next'),
              'start',
              '--hostname',
              '127.0.0.1',
              '--port',
              String(ports.web[i]),
            ],
            {
              env: {
                ...baseEnv,
                INSTANCE_ID: `web-${i + 1}`,
                PORT: String(ports.web[i]),
                LIVEKIT_URL: livekit[i].url,
              },
              cwd: join(ROOT, 'web'),
            },
          ),
        `http://127.0.0.1:${ports.web[i]}/api/health`,
      ),
    );
    await Promise.all([...realtime, ...web].map((h) => h.start()));

    const nginxConfig = join(clusterDir, 'nginx.conf');
    writeFileSync(
      nginxConfig,
      renderNginxConfig({
        serverName: 'localhost',
        web: ports.web.map((p) => `127.0.0.1:${p}`),
        realtime: ports.realtime.map((p, i) => ({ id: `realtime-${i + 1}`, address: `127.0.0.1:${p}` })),
        livekit: ports.livekit.map((p) => `127.0.0.1:${p}`),
        listen: { port: ports.nginx, address: '127.0.0.1' },
        accessLog: join(clusterDir, 'nginx-access.log'),
        errorLog: join(clusterDir, 'nginx-error.log'),
        pidFile: join(clusterDir, 'nginx.pid'),
        tempDir,
        workerConnections: 4096,
      }),
    );
    const nginxBinary = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'].find(
      (p) => existsSync(p),
    );
    if (!nginxBinary) throw new Error('nginx is not installed (Debian: apt-get install -y nginx).');
    const nginx = group.start(
      'nginx',
      nginxBinary,
      ['-p', clusterDir, '-c', nginxConfig, '-g', 'daemon off;'],
      {},
    );
    await waitForHttp(`${nginxUrl}/api/health`, { service: nginx, timeoutMs: 15_000 });
    say(
      `local cluster up: ${nginxUrl} (web ${ports.web.join(', ')}; realtime ${ports.realtime.join(', ')}; livekit ${ports.livekit.join(', ')}; redis ${ports.redis})`,
    );

    return {
      url: nginxUrl,
      ports,
      databaseUrl,
      keys,
      livekit,
      realtime,
      web,
      redis: {
        url: redis.url,
        /** Stops Redis (SIGKILL: no goodbye to clients), keeps it down `downMs`, starts it again. */
        async bounce(downMs) {
          expectedExits.add('redis');
          process.kill(-redis.service.child.pid, 'SIGKILL');
          await redis.service.exited;
          await sleep(downMs);
          await startRedis();
          expectedExits.delete('redis');
        },
      },
      nginxConfig,
      group,
      async stop() {
        await group.stop();
        // Test runs get a database per process: drop it (cluster:up keeps its dev database).
        if (!fixedPorts) await dropDatabase(adminUrl, databaseName).catch(() => {});
      },
    };
  } catch (error) {
    await group.stop();
    throw error;
  }
}
