// Our full path: token auth, validation, rate limiting, persistence (group commit), broadcast.
import type { AddressInfo } from 'node:net';
import { createDb } from '../../api/src/db/client';
import { parseEnv } from '../../api/src/env';
import { createLogger } from '../../api/src/logger';
import { createRealtimeServer } from '../../api/src/realtime/server';

const env = parseEnv({ ...process.env, LOG_LEVEL: 'warn' });
const db = createDb(env.DATABASE_URL, { poolSize: 10 });
const server = createRealtimeServer({
  env,
  db,
  logger: createLogger(env.LOG_LEVEL, { service: 'bench' }),
  redisPrefix: process.env.BENCH_REDIS_PREFIX ?? 'bench',
  ...(process.env.BENCH_MAX_IN_FLIGHT
    ? { chatWriter: { maxInFlight: Number(process.env.BENCH_MAX_IN_FLIGHT) } }
    : {}),
  // The bench offers far more than a person types; the bucket is still consulted per event.
  limits: {
    events: { capacity: 1e6, refillPerSecond: 1e6 },
    reactions: { capacity: 5, refillPerSecond: 1 },
    maxStrikes: 20,
    strikeWindowMs: 10_000,
  },
});
server.httpServer.listen(0, '127.0.0.1', () => {
  console.log(`PORT ${(server.httpServer.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
