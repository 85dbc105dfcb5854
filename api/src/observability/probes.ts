import { Redis } from 'ioredis';
import type { TProbe } from './readiness';

/** `select 1` through the process's own Prisma client (so a broken pool shows up too). */
export function postgresProbe(db: { $queryRawUnsafe(query: string): Promise<unknown> }): TProbe {
  return { name: 'postgres', check: async () => void (await db.$queryRawUnsafe('select 1')) };
}

/**
 * PING on a dedicated connection that never queues commands while disconnected, so an outage is
 * reported at once instead of hanging; ioredis keeps reconnecting in the background.
 */
export function redisProbe(url: string): TProbe & { close(): void } {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectionName: 'convene-readiness',
    retryStrategy: (times) => Math.min(times * 200, 1000),
  });
  client.on('error', () => {
    // Reported through the probe result; ioredis would otherwise print every reconnect attempt.
  });
  client.connect().catch(() => {});
  return {
    name: 'redis',
    check: async (signal) => {
      // Right after boot (or during a reconnect) give the connection the probe's time budget.
      if (client.status !== 'ready') {
        await new Promise<void>((resolve, reject) => {
          const onAbort = () => {
            client.off('ready', onReady);
            reject(new Error(`not connected (${client.status})`));
          };
          const onReady = () => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          };
          client.once('ready', onReady);
          signal.addEventListener('abort', onAbort, { once: true });
        });
      }
      const reply = await client.ping();
      if (reply !== 'PONG') throw new Error(`unexpected reply ${reply}`);
    },
    close: () => client.disconnect(),
  };
}

/** LiveKit answers `GET /` with 200 "OK" on its signalling port when it is up. */
export function livekitProbe(livekitUrl: string): TProbe {
  const url = new URL(livekitUrl);
  url.protocol = url.protocol === 'wss:' || url.protocol === 'https:' ? 'https:' : 'http:';
  url.pathname = '/';
  return {
    name: 'livekit',
    check: async (signal) => {
      const response = await fetch(url, { signal });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
    },
  };
}
