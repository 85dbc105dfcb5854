/**
 * Test support for the realtime server: env from the test run's variables (scripts/test.mjs sets
 * them), in-process servers on port 0, seeded rooms, tokens and typed raw clients.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { AccessToken } from 'livekit-server-sdk';
import { io as connectClient, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createDb, type Db } from '../db/client';
import { parseEnv, type TEnv } from '../env';
import { createLogger } from '../logger';
import type { TPresenceSync } from '../presence/schemas';
import type { TConnectionLimits } from '../rate-limit/token-bucket';
import type { Recorder } from '../recording/recorder';
import { issueJoinToken } from '../tokens/issue-join-token';
import type { TRole } from '../tokens/policy';
import type {
  ClientEventResults,
  ClientToServerEvents,
  ServerToClientEvents,
  TAckResult,
  TClientEventName,
} from './contract';
import { createRealtimeServer, type TRealtimeServer } from './server';

export type TTestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function testEnv(overrides: Record<string, string | undefined> = {}): TEnv {
  return parseEnv({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL_TEST ?? 'silent', ...overrides });
}

export interface TTestInstance {
  url: string;
  server: TRealtimeServer;
  env: TEnv;
  close(): Promise<void>;
}

/** Starts one realtime instance on 127.0.0.1:0. Instances given the same redisPrefix form one cluster. */
export async function startInstance(options: {
  db: Db;
  redisPrefix: string;
  env?: Record<string, string | undefined>;
  limits?: TConnectionLimits;
  recorder?: Recorder;
}): Promise<TTestInstance> {
  const env = testEnv({ PRESENCE_GRACE_SECONDS: '2', ...options.env });
  const server = createRealtimeServer({
    env,
    db: options.db,
    logger: createLogger(env.LOG_LEVEL, { service: 'realtime-test' }),
    redisPrefix: options.redisPrefix,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.recorder ? { recorder: options.recorder } : {}),
  });
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = server.httpServer.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, env, close: () => server.close() };
}

export interface TTwoInstanceCluster {
  db: Db;
  one: TTestInstance;
  two: TTestInstance;
  /** Sockets registered here are closed after each test. */
  track(socket: TTestSocket): TTestSocket;
}

/**
 * Registers vitest hooks that start two realtime instances sharing Redis (one cluster) and a
 * database client, close tracked sockets after each test and everything after the file.
 * Read the fields inside tests (they are set in beforeAll).
 */
export function useTwoInstanceCluster(prefix: string): TTwoInstanceCluster {
  const sockets: TTestSocket[] = [];
  const cluster = {
    track(socket: TTestSocket) {
      sockets.push(socket);
      return socket;
    },
  } as TTwoInstanceCluster;
  beforeAll(async () => {
    cluster.db = testDb();
    const redisPrefix = uniqueName(prefix);
    cluster.one = await startInstance({ db: cluster.db, redisPrefix });
    cluster.two = await startInstance({ db: cluster.db, redisPrefix });
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });
  afterAll(async () => {
    await Promise.all([cluster.one?.close(), cluster.two?.close()]);
    await cluster.db?.$disconnect();
  });
  return cluster;
}

export function testDb(): Db {
  return createDb(testEnv().DATABASE_URL, { poolSize: 5 });
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomUUID().slice(0, 6)}`;
}

/** A room row, as the web app creates it before issuing tokens. */
export async function seedRoom(db: Db, prefix = 'rt'): Promise<string> {
  const slug = uniqueName(prefix);
  await db.room.create({ data: { slug, displayName: slug } });
  return slug;
}

export async function tokenFor(
  env: TEnv,
  room: string,
  identity: string,
  role: TRole = 'participant',
  options: { ttl?: string; secret?: string } = {},
): Promise<string> {
  const keys = { apiKey: env.LIVEKIT_API_KEY, apiSecret: options.secret ?? env.LIVEKIT_API_SECRET };
  if (!options.ttl && !options.secret) {
    return (await issueJoinToken(keys, { room, identity, name: `Name ${identity}`, role, ttlSeconds: 600 }))
      .token;
  }
  const at = new AccessToken(keys.apiKey, keys.apiSecret, {
    identity,
    name: identity,
    ttl: options.ttl ?? '10m',
    attributes: { role },
  });
  at.addGrant({ room, roomJoin: true });
  return at.toJwt();
}

type TClientOptions = Partial<ManagerOptions & SocketOptions>;

const syncs = new WeakMap<TTestSocket, Promise<TPresenceSync>>();

/** The first presence:sync a socket from connectRaw received (listened for before connecting). */
export function firstSync(socket: TTestSocket): Promise<TPresenceSync> {
  const sync = syncs.get(socket);
  if (!sync) throw new Error('not a connectRaw socket');
  return sync;
}

/** A raw typed socket.io-client; resolves once connected, rejects with the connect_error. */
export function connectRaw(url: string, token: string, options: TClientOptions = {}): Promise<TTestSocket> {
  const socket: TTestSocket = connectClient(url, {
    auth: { token },
    forceNew: true,
    reconnection: false,
    transports: ['websocket'],
    ...options,
  });
  const sync = new Promise<TPresenceSync>((resolve) => socket.once('presence:sync', resolve));
  syncs.set(socket, sync);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Emits a contract event and resolves with its ack. */
export function request<E extends TClientEventName>(
  socket: TTestSocket,
  event: E,
  payload: Parameters<ClientToServerEvents[E]>[0],
  timeoutMs = 5000,
): Promise<TAckResult<ClientEventResults[E]>> {
  return new Promise((resolve, reject) => {
    const timed = socket.timeout(timeoutMs) as unknown as {
      emit(
        e: string,
        p: unknown,
        cb: (err: Error | null, r: TAckResult<ClientEventResults[E]>) => void,
      ): void;
    };
    timed.emit(event, payload, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** Resolves with the first `event` matching `predicate`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: TTestSocket,
  event: E,
  predicate: (...args: Parameters<ServerToClientEvents[E]>) => boolean = () => true,
  timeoutMs = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      reject(new Error(`timed out waiting for ${event}`));
    }, timeoutMs);
    const listener = (...args: Parameters<ServerToClientEvents[E]>) => {
      if (!predicate(...args)) return;
      clearTimeout(timer);
      socket.off(event, listener as never);
      resolve(args[0]);
    };
    socket.on(event, listener as never);
  });
}

/** Polls `check` until it returns true. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  what = 'condition',
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
