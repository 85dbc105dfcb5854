// End to end through the REST API: create a room and a host token, redeem the join link the way
// the room page does, join with it, a bot joins too; the API lists both and signed
// participant.joined webhooks arrive for both.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Room } from '@livekit/rtc-node';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiCall, db, eventually, newApiKey } from './support/api-client';
import { joinBot, type TBot } from './support/bots';
import { testEnv } from './support/env';

const received: { headers: Record<string, string>; body: string }[] = [];
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({
      headers: req.headers as Record<string, string>,
      body: Buffer.concat(chunks).toString('utf8'),
    });
    res.writeHead(204).end();
  });
});
let key: string;
let hookId: string;
let secret: string;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  key = await newApiKey();
  const hook = await apiCall('POST', '/webhooks', {
    key,
    body: {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/join`,
      eventTypes: ['participant.joined'],
    },
  });
  ({ id: hookId, secret } = hook.body as { id: string; secret: string });
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await apiCall('DELETE', `/webhooks/${hookId}`, { key });
  receiver.close();
  await db.$disconnect();
});

async function redeem(room: string, token: string) {
  const res = await fetch(`${testEnv.webUrl}/api/rooms/${room}/join-link`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

describe('join through the REST API', () => {
  test('room + host token → join link redeemed and used; a bot joins; participants and signed webhooks show both', async () => {
    const created = await apiCall('POST', '/rooms', {
      key,
      body: { displayName: 'API join', maxParticipants: 5 },
    });
    expect(created.status).toBe(201);
    const room = (created.body as { name: string }).name;
    cleanups.push(() => apiCall('DELETE', `/rooms/${room}`, { key }));

    const issued = await apiCall('POST', `/rooms/${room}/tokens`, {
      key,
      body: { identity: 'crm-host-7', name: 'Dana Host', role: 'host', skipPrejoin: true },
    });
    expect(issued.status).toBe(201);
    const token = issued.body as { joinUrl: string; livekitUrl: string; token: string };
    const link = new URL(token.joinUrl);
    expect(link.pathname).toBe(`/r/${room}`);
    const fragment = new URLSearchParams(link.hash.slice(1));
    expect(fragment.get('token')).toBe(token.token);
    expect(fragment.get('skipPrejoin')).toBe('1');

    // What the room page does with the link: exchange it for a fresh session token.
    const redeemed = await redeem(room, fragment.get('token')!);
    expect(redeemed.status).toBe(200);
    expect(redeemed.body).toMatchObject({ room, identity: 'crm-host-7', name: 'Dana Host', role: 'host' });
    expect(redeemed.body.token).not.toBe(token.token);
    expect((await redeem('some-other-room', token.token)).status).toBe(401);
    expect((await redeem(room, `${token.token}x`)).status).toBe(401);

    const host = new Room();
    await host.connect(redeemed.body.livekitUrl!, redeemed.body.token!, {
      autoSubscribe: false,
      dynacast: true,
    });
    cleanups.push(() => host.disconnect());
    const bot: TBot = await joinBot(room, 'api-join-bot');
    cleanups.push(() => bot.disconnect());

    const participants = await eventually(async () => {
      const res = await apiCall('GET', `/rooms/${room}/participants`, { key });
      const list = (res.body as { data: { identity: string; role: string | null; name: string }[] }).data;
      return list.length === 2 ? list : null;
    });
    expect(participants).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ identity: 'crm-host-7', name: 'Dana Host', role: 'host' }),
        expect.objectContaining({ identity: 'api-join-bot', role: 'participant' }),
      ]),
    );

    const joined = await eventually(() => {
      const events = received
        .map(
          (r) =>
            new Webhook(secret).verify(r.body, r.headers) as {
              type: string;
              data: Record<string, { identity?: string; name?: string }>;
            },
        )
        .filter((e) => e.type === 'participant.joined' && e.data.room?.name === room);
      return Promise.resolve(events.length >= 2 ? events : null);
    }, 20_000);
    expect(joined.map((e) => e.data.participant?.identity).sort()).toEqual(['api-join-bot', 'crm-host-7']);
  });
});
