import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { type Socket as ClientSocket, io as connect } from 'socket.io-client';
import { afterEach, describe, expect, test } from 'vitest';
import { createDb } from '../db/client';
import { createLogger } from '../logger';
import {
  connectRaw,
  firstSync,
  nextEvent,
  request,
  seedRoom,
  startInstance as startRealtimeServer,
  testDb,
  tokenFor,
  uniqueName,
} from '../realtime/testing';
import { livekitProbe, postgresProbe, redisProbe } from './probes';
import type { TReadiness } from './readiness';
import { attachRealtimeObservability, type TRealtimeObservability } from './realtime';

// Real dependencies from the platform `npm test` started; a plain Socket.IO server stands in for
// the realtime module so these tests exercise only the observability layer.
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run with \`npm test\``);
  return value;
}
const DATABASE_URL = required('DATABASE_URL');
const LIVEKIT_URL = required('LIVEKIT_URL');
const REDIS_URL = process.env.REDIS_URL;

const logger = createLogger('silent');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startInstance(overrides: { redisUrl?: string; livekitUrl?: string; spreadMs?: number } = {}) {
  const db = createDb(DATABASE_URL, { poolSize: 2 });
  const httpServer = createServer((_req, res) => res.writeHead(404).end());
  const io = new Server(httpServer);
  let releaseSlowAck = () => {};
  io.on('connection', (socket) => {
    socket.on('echo', (payload: unknown, ack: (r: unknown) => void) => ack({ ok: true, data: payload }));
    socket.on('slow', (_payload: unknown, ack: (r: unknown) => void) => {
      releaseSlowAck = () => ack({ ok: true, data: 'late' });
    });
  });
  const redisUrl = overrides.redisUrl ?? REDIS_URL;
  const redis = redisUrl ? redisProbe(redisUrl) : undefined;
  const probes = [
    postgresProbe(db),
    ...(redis ? [redis] : []),
    livekitProbe(overrides.livekitUrl ?? LIVEKIT_URL),
  ];
  const ops: TRealtimeObservability = attachRealtimeObservability({
    env: {
      REDIS_URL: redisUrl,
      LIVEKIT_URL,
      METRICS_TOKEN: undefined,
      DRAIN_SPREAD_MS: overrides.spreadMs ?? 300,
    },
    logger,
    server: { httpServer, io },
    instance: 'test-1',
    probes,
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  cleanups.push(async () => {
    redis?.close();
    ops.close();
    await new Promise<void>((resolve) => io.close(() => resolve()));
    await db.$disconnect();
  });
  return { url, io, ops, releaseSlowAck: () => releaseSlowAck() };
}

function client(url: string, transports: ('polling' | 'websocket')[]): Promise<ClientSocket> {
  const socket = connect(url, { transports, reconnection: false, forceNew: true });
  cleanups.push(() => void socket.close());
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** The value of the first sample of `name` whose labels include every pair in `labels`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith(`${name}{`) && wanted.every((pair) => l.slice(0, l.lastIndexOf('}')).includes(pair)),
    );
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('realtime observability', () => {
  test('healthz, readyz (real Postgres, Redis, LiveKit) and metrics answer', async () => {
    const { url } = await startInstance();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    const body = (await ready.json()) as TReadiness;
    expect(ready.status, JSON.stringify(body)).toBe(200);
    expect(body.checks.postgres?.ok).toBe(true);
    expect(body.checks.livekit?.ok).toBe(true);
    if (REDIS_URL) expect(body.checks.redis?.ok).toBe(true);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('process_cpu_user_seconds_total{service="realtime",instance_id="test-1"}');
    expect(sample(metrics, 'convene_ready')).toBe(1);
    expect(sample(metrics, 'convene_draining')).toBe(0);
  });

  test('readyz is 503 and names the dependency when Redis or LiveKit is unreachable', async () => {
    const { url } = await startInstance({
      redisUrl: 'redis://127.0.0.1:1',
      livekitUrl: 'ws://127.0.0.1:1',
    });
    const response = await fetch(`${url}/readyz`);
    const body = (await response.json()) as TReadiness;
    expect(response.status).toBe(503);
    expect(body).toMatchObject({ ready: false, drain: 'serving' });
    expect(body.checks.postgres?.ok).toBe(true);
    expect(body.checks.redis?.ok).toBe(false);
    expect(body.checks.livekit?.ok).toBe(false);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  test('counts connections, events and acks', async () => {
    const { url } = await startInstance();
    const socket = await client(url, ['websocket']);
    // Session ids carry the instance name so a proxy can route a polling session back to it.
    expect(socket.io.engine.id).toMatch(/^test-1\.[A-Za-z0-9_-]+$/);
    for (let i = 0; i < 3; i++) await socket.emitWithAck('echo', i);
    socket.emit('no-such-event', 1);
    await new Promise((r) => setTimeout(r, 50));
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(sample(metrics, 'convene_realtime_connected_sockets')).toBe(1);
    expect(sample(metrics, 'convene_realtime_connections_total', { transport: 'websocket' })).toBe(1);
    expect(sample(metrics, 'convene_realtime_events_total', { event: 'echo' })).toBe(3);
    expect(sample(metrics, 'convene_realtime_events_total', { event: 'unhandled' })).toBe(1);
    expect(sample(metrics, 'convene_realtime_ack_seconds_count', { event: 'echo', outcome: 'ok' })).toBe(3);
  });

  test('drain: readiness flips false, new sessions get 503, clients are told then moved after their acks', async () => {
    const { url, ops, releaseSlowAck } = await startInstance({ spreadMs: 300 });
    const clients = await Promise.all([
      client(url, ['websocket']),
      client(url, ['polling']),
      client(url, ['polling', 'websocket']),
      client(url, ['websocket']),
    ]);
    const told = clients.map(
      (socket) =>
        new Promise<number>((resolve) => socket.once('server:draining', (p) => resolve(p.reconnectInMs))),
    );
    const gone = clients.map(
      (socket) =>
        new Promise<{ reason: string; at: number }>((resolve) => {
          socket.once('disconnect', (reason) => resolve({ reason, at: Date.now() }));
        }),
    );
    // An ack the server still owes when the drain starts must arrive before that client is moved.
    const slow = clients[1].emitWithAck('slow', null);
    await new Promise((r) => setTimeout(r, 50));
    expect(ops.instrumentation.inflightAcks()).toBe(1);

    const started = Date.now();
    const drained = ops.drainClients('SIGTERM');
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, drain: 'draining' });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(sample(metrics, 'convene_draining')).toBe(1);
    // New handshakes are refused on both transports; the proxy retries them elsewhere.
    expect((await fetch(`${url}/socket.io/?EIO=4&transport=polling`)).status).toBe(503);
    await expect(client(url, ['websocket'])).rejects.toThrow();

    const delays = await Promise.all(told);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(0);
    for (const delay of delays) expect(delay).toBeLessThan(300);

    // Hold the slow ack past the whole spread: client 1 must stay connected until it is sent.
    await new Promise((r) => setTimeout(r, 400));
    expect(clients[1].connected).toBe(true);
    releaseSlowAck();
    expect(await slow).toEqual({ ok: true, data: 'late' });

    const report = await drained;
    const disconnects = await Promise.all(gone);
    // A transport close (not "io server disconnect") makes socket.io-client reconnect by itself.
    for (const d of disconnects) expect(d.reason).toBe('transport close');
    for (const [i, d] of disconnects.entries()) {
      if (i !== 1) expect(d.at - started).toBeLessThan((delays[i] ?? 0) + 250);
    }
    expect(report).toMatchObject({ moved: 4, acksAbandoned: 0 });
    expect(ops.instrumentation.inflightAcks()).toBe(0);
  });

  test('the real realtime server: rooms, events out per receiver, chat persist latency', async () => {
    // The realtime module itself (real Postgres chat writer, Redis adapter when configured), wired
    // to observability the way main.ts does it.
    const db = testDb();
    const rt = await startRealtimeServer({ db, redisPrefix: uniqueName('obs') });
    const ops = attachRealtimeObservability({
      env: { REDIS_URL: undefined, LIVEKIT_URL, METRICS_TOKEN: undefined, DRAIN_SPREAD_MS: 300 },
      logger,
      server: rt.server,
      instance: 'test-rt',
      probes: [],
    });
    cleanups.push(async () => {
      ops.close();
      await rt.close();
      await db.$disconnect();
    });
    const scrape = async () => (await fetch(`${rt.url}/metrics`)).text();
    const before = await scrape();
    expect(sample(before, 'convene_realtime_rooms')).toBe(0);
    expect(before).toContain('# TYPE convene_chat_persist_seconds histogram');

    const [roomA, roomB] = [await seedRoom(db, 'obs-a'), await seedRoom(db, 'obs-b')];
    const inA = await Promise.all(
      ['a1', 'a2', 'a3'].map(async (id) => {
        const socket = await connectRaw(rt.url, await tokenFor(rt.env, roomA, id));
        cleanups.push(() => void socket.close());
        await firstSync(socket);
        return socket;
      }),
    );
    const inB = await connectRaw(rt.url, await tokenFor(rt.env, roomB, 'b1'));
    cleanups.push(() => void inB.close());
    await firstSync(inB);
    expect(sample(await scrape(), 'convene_realtime_rooms')).toBe(2);

    const outBefore =
      sample(await scrape(), 'convene_realtime_events_out_total', { event: 'chat:message' }) ?? 0;
    const received = inA.map((socket) => nextEvent(socket, 'chat:message'));
    const sent = 4;
    for (let i = 0; i < sent; i++) {
      const ack = await request(inA[0]!, 'chat:send', { clientId: randomUUID(), text: `hello ${i}` });
      expect(ack.ok).toBe(true);
    }
    await Promise.all(received);
    const after = await scrape();
    // Every message went to the 3 sockets of room A (the sender included), none to room B.
    expect(sample(after, 'convene_realtime_events_out_total', { event: 'chat:message' })).toBe(
      outBefore + sent * 3,
    );
    expect(sample(after, 'convene_realtime_events_out_total', { event: 'presence:sync' })).toBe(4);
    expect(sample(after, 'convene_chat_persist_seconds_count', { outcome: 'stored' })).toBe(sent);
    const persisted = sample(after, 'convene_chat_persist_seconds_sum', { outcome: 'stored' }) ?? 0;
    expect(persisted).toBeGreaterThan(0);
    // Persisting is part of the ack's time, never more than it.
    expect(persisted).toBeLessThanOrEqual(
      sample(after, 'convene_realtime_ack_seconds_sum', { event: 'chat:send', outcome: 'ok' }) ?? 0,
    );

    inB.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(sample(await scrape(), 'convene_realtime_rooms')).toBe(1);
  });
});
