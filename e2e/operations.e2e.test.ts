// Health, readiness and metrics of the processes `npm test` started (the same ones `npm start`
// runs): the probes an orchestrator and Prometheus would hit.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, test } from 'vitest';
import { adminCookie, seedAdmin, sseReader } from './support/admin';
import { apiCall, db, eventually, newApiKey } from './support/api-client';
import { testEnv } from './support/env';
import { mintToken, uniqueRoom } from './support/tokens';

async function json(url: string) {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('operations endpoints', () => {
  test('web: liveness, readiness with its dependency checks, Prometheus metrics', async () => {
    expect((await json(`${testEnv.webUrl}/api/health`)).status).toBe(200);
    const ready = await json(`${testEnv.webUrl}/api/ready`);
    expect(ready.status, JSON.stringify(ready.body)).toBe(200);
    expect(ready.body).toMatchObject({
      ready: true,
      drain: 'serving',
      checks: { postgres: { ok: true }, livekit: { ok: true } },
    });
    const metrics = await fetch(`${testEnv.webUrl}/api/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    expect(text).toMatch(/^convene_ready\{service="web",instance_id="[^"]+"\} 1$/m);
    expect(text).toMatch(/^convene_draining\{service="web",instance_id="[^"]+"\} 0$/m);
    expect(text).toContain('process_resident_memory_bytes{service="web"');
    expect(text).toMatch(/^convene_sse_clients\{service="web",instance_id="[^"]+"\} \d+$/m);
    expect(text).toContain('# TYPE convene_webhook_deliveries_total counter');
  });

  test('realtime: liveness, readiness (Postgres, Redis, LiveKit), metrics', async () => {
    expect((await json(`${testEnv.realtimeUrl}/healthz`)).status).toBe(200);
    const ready = await json(`${testEnv.realtimeUrl}/readyz`);
    expect(ready.status, JSON.stringify(ready.body)).toBe(200);
    expect(ready.body).toMatchObject({
      ready: true,
      checks: { postgres: { ok: true }, livekit: { ok: true } },
    });
    if (testEnv.redisUrl) expect(ready.body).toMatchObject({ checks: { redis: { ok: true } } });
    const text = await (await fetch(`${testEnv.realtimeUrl}/metrics`)).text();
    expect(text).toMatch(/^convene_ready\{service="realtime",instance_id="[^"]+"\} 1$/m);
    expect(text).toContain('# TYPE convene_realtime_ack_seconds histogram');
    expect(text).toContain('# TYPE convene_realtime_events_out_total counter');
    expect(text).toContain('# TYPE convene_chat_persist_seconds histogram');
    expect(text).toMatch(/^convene_realtime_rooms\{service="realtime",instance_id="[^"]+"\} \d+$/m);
  });
});

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

const webMetrics = async () => (await fetch(`${testEnv.webUrl}/api/metrics`)).text();
const realtimeMetrics = async () => (await fetch(`${testEnv.realtimeUrl}/metrics`)).text();

describe('metrics follow real activity', () => {
  afterAll(() => db.$disconnect());

  test('realtime: a chat message in a room of 3 → rooms, chat:message out per receiver, persist latency', async () => {
    const room = uniqueRoom('ops-chat');
    await db.room.create({ data: { slug: room, displayName: room } });
    const sockets: Socket[] = [];
    try {
      for (const identity of ['ops-1', 'ops-2', 'ops-3']) {
        const socket = io(testEnv.realtimeUrl, {
          auth: { token: await mintToken(room, identity) },
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
        });
        sockets.push(socket);
        await new Promise<void>((resolve, reject) => {
          socket.once('presence:sync', () => resolve());
          socket.once('connect_error', reject);
        });
      }
      const before = await realtimeMetrics();
      expect(sample(before, 'convene_realtime_rooms')).toBeGreaterThanOrEqual(1);
      const outBefore = sample(before, 'convene_realtime_events_out_total', { event: 'chat:message' }) ?? 0;
      const persistBefore = sample(before, 'convene_chat_persist_seconds_count', { outcome: 'stored' }) ?? 0;

      const received = sockets.map((s) => new Promise((resolve) => s.once('chat:message', resolve)));
      const ack = (await sockets[0]!.emitWithAck('chat:send', {
        clientId: randomUUID(),
        text: 'metrics',
      })) as {
        ok: boolean;
      };
      expect(ack.ok).toBe(true);
      await Promise.all(received);
      const after = await realtimeMetrics();
      expect(
        sample(after, 'convene_chat_persist_seconds_count', { outcome: 'stored' }),
      ).toBeGreaterThanOrEqual(persistBefore + 1);
      expect(
        sample(after, 'convene_realtime_events_out_total', { event: 'chat:message' }),
      ).toBeGreaterThanOrEqual(outBefore + sockets.length);
    } finally {
      for (const s of sockets) s.close();
    }
  });

  test('web: an admin SSE stream is counted while open', async () => {
    const { email, password } = await seedAdmin(db, 'ops-sse');
    const cookie = await adminCookie(email, password);
    const base = sample(await webMetrics(), 'convene_sse_clients') ?? Number.NaN;
    expect(base).toBeGreaterThanOrEqual(0);
    const abort = new AbortController();
    const res = await fetch(`${testEnv.webUrl}/api/admin/events`, {
      headers: { cookie },
      signal: abort.signal,
    });
    const reader = sseReader(res.body!);
    expect(await reader.next()).toBe('retry: 2000\n: connected');
    expect(sample(await webMetrics(), 'convene_sse_clients')).toBe(base + 1);
    abort.abort();
    await eventually(
      async () => sample(await webMetrics(), 'convene_sse_clients') === base,
      5000,
      'gauge back',
    );
  });

  test('web: webhook outcomes — one 500 then 200 → retry_scheduled and delivered each move', async () => {
    const statuses = [500];
    const hits: string[] = [];
    const receiver = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      req.resume();
      req.on('end', () => res.writeHead(statuses.shift() ?? 200).end());
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const key = await newApiKey(['webhooks:read', 'webhooks:write']);
    let endpointId = '';
    try {
      const before = await webMetrics();
      const retriesBefore = sample(before, 'convene_webhook_deliveries_total', {
        outcome: 'retry_scheduled',
      });
      const deliveredBefore = sample(before, 'convene_webhook_deliveries_total', { outcome: 'delivered' });
      // Every outcome is exported from the first scrape (as 0 until it happens).
      expect(retriesBefore).toBeGreaterThanOrEqual(0);
      expect(deliveredBefore).toBeGreaterThanOrEqual(0);
      const port = (receiver.address() as AddressInfo).port;
      const created = await apiCall('POST', '/webhooks', {
        key,
        body: { url: `http://127.0.0.1:${port}/ops`, eventTypes: ['recording.failed'] },
      });
      expect(created.status).toBe(201);
      endpointId = (created.body as { id: string }).id;
      expect((await apiCall('POST', `/webhooks/${endpointId}/test`, { key })).status).toBe(202);
      await eventually(async () => hits.length >= 2, 30_000, 'two attempts');
      const after = await eventually(
        async () => {
          const text = await webMetrics();
          return (sample(text, 'convene_webhook_deliveries_total', { outcome: 'delivered' }) ?? 0) >
            (deliveredBefore ?? 0)
            ? text
            : null;
        },
        5000,
        'delivered counted',
      );
      expect(
        sample(after, 'convene_webhook_deliveries_total', { outcome: 'retry_scheduled' }),
      ).toBeGreaterThanOrEqual((retriesBefore ?? 0) + 1);
      expect(
        sample(after, 'convene_webhook_attempt_seconds_count', { outcome: 'delivered' }),
      ).toBeGreaterThanOrEqual(1);
    } finally {
      if (endpointId) await apiCall('DELETE', `/webhooks/${endpointId}`, { key });
      receiver.close();
    }
  });
});
