// Outgoing webhooks end to end: the platform's outbox worker delivers to a receiver in this test
// process; signatures are checked with the Standard Webhooks reference library in verify mode.
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { io } from 'socket.io-client';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiCall, db, eventually, newApiKey } from './support/api-client';
import { joinBot } from './support/bots';
import { testEnv } from './support/env';
import { uniqueRoom } from './support/tokens';

interface TReceived {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** path → list of statuses to answer in order (then 200); 'hang' never answers. */
const plans = new Map<string, Array<number | 'hang'>>();
const received: TReceived[] = [];
const hanging: http.ServerResponse[] = [];
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const path = req.url ?? '/';
    received.push({
      path,
      headers: req.headers as Record<string, string>,
      body: Buffer.concat(chunks).toString('utf8'),
    });
    const next = plans.get(path)?.shift() ?? 200;
    if (next === 'hang') {
      hanging.push(res);
      return;
    }
    res.writeHead(next, { 'content-type': 'text/plain' }).end(next >= 400 ? `failure ${next}` : 'ok');
  });
});
let base: string;
let key: string;

beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  key = await newApiKey(['webhooks:read', 'webhooks:write']);
});

const createdEndpoints: string[] = [];

afterAll(async () => {
  // Later tests' LiveKit events must not fan out to receivers that are gone.
  for (const id of createdEndpoints) await apiCall('DELETE', `/webhooks/${id}`, { key });
  for (const res of hanging) res.destroy();
  receiver.close();
  await db.$disconnect();
});

async function createEndpoint(path: string, eventTypes?: string[]) {
  const res = await apiCall('POST', '/webhooks', {
    key,
    body: { url: `${base}${path}`, ...(eventTypes ? { eventTypes } : {}) },
  });
  expect(res.status).toBe(201);
  createdEndpoints.push((res.body as { id: string }).id);
  return res.body as { id: string; secret: string };
}

function at(path: string) {
  return received.filter((r) => r.path === path);
}

/** Verifies with the reference implementation; throws on a bad signature. */
function verify(secret: string, r: TReceived) {
  return new Webhook(secret).verify(r.body, r.headers) as { type: string; data: Record<string, unknown> };
}

type TDelivery = {
  id: string;
  eventId: string;
  status: string;
  replayOf: string | null;
  attempts: { responseStatus: number | null; latencyMs: number; responseSnippet: string | null }[];
};

async function deliveries(endpointId: string): Promise<TDelivery[]> {
  const res = await apiCall('GET', `/webhooks/${endpointId}/deliveries`, { key });
  expect(res.status).toBe(200);
  return (res.body as { data: TDelivery[] }).data;
}

describe('outgoing webhooks', () => {
  test('500, 500, 200 → delivered on the third attempt, three attempts logged, same webhook-id, valid signatures', async () => {
    const path = `/flaky-${Date.now()}`;
    plans.set(path, [500, 500]);
    const endpoint = await createEndpoint(path);
    const queued = await apiCall('POST', `/webhooks/${endpoint.id}/test`, { key });
    expect(queued.status).toBe(202);
    const { deliveryId, eventId } = queued.body as { deliveryId: string; eventId: string };

    const done = await eventually(async () => {
      const d = (await deliveries(endpoint.id)).find((x) => x.id === deliveryId);
      return d?.status === 'succeeded' ? d : null;
    }, 30_000);
    expect(done.attempts.map((a) => a.responseStatus)).toEqual([500, 500, 200]);
    expect(done.attempts[0]!.responseSnippet).toBe('failure 500');
    expect(done.attempts.every((a) => a.latencyMs >= 0)).toBe(true);

    const requests = at(path);
    expect(requests).toHaveLength(3);
    for (const r of requests) {
      expect(r.headers['webhook-id']).toBe(eventId);
      expect(verify(endpoint.secret, r)).toMatchObject({ type: 'webhook.test' });
    }
    // A wrong secret fails verification: the check above can fail.
    expect(() => verify(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, requests[0]!)).toThrow();
  });

  test('replay delivers the event again with the same webhook-id', async () => {
    const path = `/replay-${Date.now()}`;
    const endpoint = await createEndpoint(path);
    const { deliveryId, eventId } = (await apiCall('POST', `/webhooks/${endpoint.id}/test`, { key }))
      .body as {
      deliveryId: string;
      eventId: string;
    };
    await eventually(() => Promise.resolve(at(path).length === 1));
    const replay = await apiCall('POST', `/webhooks/${endpoint.id}/deliveries/${deliveryId}/replay`, { key });
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({ eventId, replayOf: deliveryId, status: 'pending' });
    await eventually(() => Promise.resolve(at(path).length === 2));
    const [first, second] = at(path);
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(second!.body).toBe(first!.body);
    verify(endpoint.secret, second!);
    const log = await eventually(async () => {
      const all = await deliveries(endpoint.id);
      return all.every((d) => d.status === 'succeeded') && all.length === 2 ? all : null;
    });
    expect(log.map((d) => d.eventId)).toEqual([eventId, eventId]);
  });

  test('a worker killed between the outbox write and the delivery: another worker delivers it after the lease', async () => {
    const path = `/crash-${Date.now()}`;
    plans.set(path, ['hang']);
    const endpoint = await createEndpoint(path, ['room.started']);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'e2e/support/webhook-crash-child.ts', endpoint.id, '3000'],
      {
        env: process.env,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
    });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
    // The child's request is in flight (the receiver holds it): kill the child there.
    await eventually(() => Promise.resolve(at(path).length === 1), 30_000, 'first (doomed) attempt');
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(output).not.toContain('finished');
    const { eventId, deliveryId } = JSON.parse(output.split('\n')[0]!) as {
      eventId: string;
      deliveryId: string;
    };

    const row = await eventually(
      () =>
        db.webhookDelivery.findFirst({
          where: { id: deliveryId, status: 'succeeded' },
          include: { attempts: true },
        }),
      30_000,
      'delivery after restart',
    );
    expect(row.attempts.map((a) => a.responseStatus)).toEqual([200]);
    const requests = at(path);
    expect(requests).toHaveLength(2);
    expect(requests.map((r) => r.headers['webhook-id'])).toEqual([eventId, eventId]);
    expect(verify(endpoint.secret, requests[1]!)).toMatchObject({ type: 'room.started' });
  });

  test('secret rotation: during the overlap both the old and the new secret verify', async () => {
    const path = `/rotate-${Date.now()}`;
    const endpoint = await createEndpoint(path);
    const rotated = await apiCall('POST', `/webhooks/${endpoint.id}/rotate-secret`, {
      key,
      body: { overlapSeconds: 600 },
    });
    expect(rotated.status).toBe(200);
    const { secret: newSecret } = rotated.body as { secret: string };
    await apiCall('POST', `/webhooks/${endpoint.id}/test`, { key });
    await eventually(() => Promise.resolve(at(path).length === 1));
    const r = at(path)[0]!;
    expect(r.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(verify(newSecret, r)).toMatchObject({ type: 'webhook.test' });
    expect(verify(endpoint.secret, r)).toMatchObject({ type: 'webhook.test' });
  });

  test('LiveKit activity becomes signed room.started, participant.joined and participant.left events', async () => {
    const path = `/livekit-${Date.now()}`;
    const endpoint = await createEndpoint(path, ['room.started', 'participant.joined', 'participant.left']);
    const room = uniqueRoom('hooks');
    const bot = await joinBot(room, 'hook-bot');
    const events = () =>
      at(path)
        .map((r) => verify(endpoint.secret, r))
        .filter((e) => (e.data.room as { name?: string } | undefined)?.name === room);
    await eventually(
      () => Promise.resolve(events().some((e) => e.type === 'participant.joined')),
      20_000,
      'participant.joined',
    );
    await bot.disconnect();
    await eventually(
      () => Promise.resolve(events().some((e) => e.type === 'participant.left')),
      20_000,
      'participant.left',
    );
    const types = events().map((e) => e.type);
    expect(types).toContain('room.started');
    const joined = events().find((e) => e.type === 'participant.joined')!;
    expect(joined.data.participant).toMatchObject({
      identity: 'hook-bot',
      name: 'Bot hook-bot',
      role: 'participant',
    });
  });
});

describe('chat.message (opt-in)', () => {
  test('a message sent over the realtime server reaches the subscribed endpoint exactly once, retries included; others get nothing', async () => {
    const stamp = Date.now();
    const subscribed = await createEndpoint(`/chat-sub-${stamp}`, ['chat.message']);
    const unsubscribed = await createEndpoint(`/chat-unsub-${stamp}`);
    const roomsKey = await newApiKey();
    const created = await apiCall('POST', '/rooms', { key: roomsKey, body: { displayName: 'Chat hooks' } });
    expect(created.status).toBe(201);
    const room = (created.body as { name: string }).name;
    try {
      const issued = await apiCall('POST', `/rooms/${room}/tokens`, {
        key: roomsKey,
        body: { identity: 'hook-chatter', name: 'Hook Chatter', role: 'participant' },
      });
      expect(issued.status).toBe(201);
      const socket = io(testEnv.realtimeUrl, {
        auth: { token: (issued.body as { token: string }).token },
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
      });
      type TAck = { ok: true; data: { id: string; seq: number; text: string } } | { ok: false };
      const send = (clientId: string, text: string) =>
        socket.timeout(5_000).emitWithAck('chat:send', { clientId, text }) as Promise<TAck>;
      try {
        await new Promise<void>((resolve, reject) => {
          socket.once('connect', resolve);
          socket.once('connect_error', reject);
        });
        const first = await send(`hook-${stamp}-1`, 'hello hooks');
        // A retry of the same clientId (a lost ack): deduplicated to the stored message, no new event.
        const retry = await send(`hook-${stamp}-1`, 'hello hooks');
        const second = await send(`hook-${stamp}-2`, 'second');
        if (!first.ok || !retry.ok || !second.ok) throw new Error('chat:send refused');
        expect(retry.data).toEqual(first.data);
        expect(second.data.seq).toBe(first.data.seq + 1);

        const chatEvents = await eventually(() => {
          const got = at(`/chat-sub-${stamp}`).filter(
            (r) => verify(subscribed.secret, r).type === 'chat.message',
          );
          return Promise.resolve(got.length >= 2 ? got : null);
        }, 20_000);
        // Two events may be delivered in either order (worker concurrency): compare by seq.
        const bodies = chatEvents
          .map((r) => verify(subscribed.secret, r) as unknown as { data: { message: { seq: number } } })
          .sort((a, b) => a.data.message.seq - b.data.message.seq);
        expect(bodies.map((b) => b.data)).toEqual([
          {
            room: expect.objectContaining({ name: room }),
            message: expect.objectContaining({
              id: first.data.id,
              seq: first.data.seq,
              text: 'hello hooks',
              senderIdentity: 'hook-chatter',
              senderName: 'Hook Chatter',
              kind: 'user',
            }),
          },
          {
            room: expect.objectContaining({ name: room }),
            message: expect.objectContaining({ id: second.data.id, seq: second.data.seq, text: 'second' }),
          },
        ]);
        expect(new Set(chatEvents.map((r) => r.headers['webhook-id'])).size).toBe(2);
        // Exactly once in the outbox too (no late duplicate can still be on its way), and the
        // unsubscribed endpoint has no chat.message delivery at all.
        const outbox = await db.webhookDelivery.findMany({
          where: {
            event: { type: 'chat.message', payload: { path: ['data', 'room', 'name'], equals: room } },
          },
          select: { endpointId: true },
        });
        expect(outbox.map((d) => d.endpointId).sort()).toEqual([subscribed.id, subscribed.id]);
        expect(
          at(`/chat-unsub-${stamp}`).filter((r) => verify(unsubscribed.secret, r).type === 'chat.message'),
        ).toEqual([]);
      } finally {
        socket.close();
      }
    } finally {
      await apiCall('DELETE', `/rooms/${room}`, { key: roomsKey });
    }
  });
});
