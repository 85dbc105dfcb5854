import { createDb } from '@convene/api/db/client';
import { afterAll, describe, expect, test } from 'vitest';
import { joinBot } from './support/bots';
import { testEnv } from './support/env';
import { uniqueRoom } from './support/tokens';

const db = createDb(testEnv.databaseUrl, { poolSize: 2 });
afterAll(() => db.$disconnect());

async function eventually<T>(probe: () => Promise<T | null | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('LiveKit webhook route', () => {
  test.each([
    ['no signature', {}],
    ['a forged signature', { authorization: 'eyJhbGciOiJIUzI1NiJ9.eyJzaGEyNTYiOiJ4In0.forged' }],
  ])('rejects %s with 401 problem+json', async (_label, headers) => {
    const response = await fetch(`${testEnv.webUrl}/api/livekit/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/webhook+json', ...headers },
      body: JSON.stringify({ event: 'participant_joined', id: 'EV_forged' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await db.livekitWebhookReceipt.findUnique({ where: { eventId: 'EV_forged' } })).toBeNull();
  });

  test('accepts the real livekit-server webhooks: a bot join and leave are recorded', async () => {
    const roomName = uniqueRoom('webhook');
    const bot = await joinBot(roomName, 'bot-webhook');
    const attendance = await eventually(() =>
      db.attendance.findFirst({ where: { identity: 'bot-webhook', room: { slug: roomName } } }),
    );
    expect(attendance).toMatchObject({ displayName: 'Bot bot-webhook', role: 'participant', leftAt: null });
    const meeting = await db.meeting.findFirst({ where: { room: { slug: roomName } } });
    expect(meeting?.endedAt).toBeNull();
    await bot.disconnect();
    const left = await eventually(() =>
      db.attendance.findFirst({ where: { id: attendance.id, leftAt: { not: null } } }),
    );
    expect(left.leftAt!.getTime()).toBeGreaterThanOrEqual(attendance.joinedAt.getTime());
  });
});
