import { createDb } from '@convene/api/db/client';
import type { TPresenceUpdate } from '@convene/api/presence/schemas';
import { io, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, test } from 'vitest';
import { joinBot } from './support/bots';
import { testEnv } from './support/env';
import { mintToken, uniqueRoom } from './support/tokens';

const db = createDb(testEnv.databaseUrl, { poolSize: 2 });
const sockets: Socket[] = [];
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await db.$disconnect();
});

/** A realtime connection as `identity`, recording every presence update it is sent. */
async function connectRealtime(room: string, identity: string) {
  const socket = io(testEnv.realtimeUrl, {
    auth: { token: await mintToken(room, identity) },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  sockets.push(socket);
  const updates: { at: number; update: TPresenceUpdate }[] = [];
  socket.on('presence:update', (update: TPresenceUpdate) => updates.push({ at: Date.now(), update }));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return { socket, updates };
}

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

  test('presence follows LiveKit: a participant who left the call leaves the realtime room at once', async () => {
    const roomName = uniqueRoom('reconcile');
    const bot = await joinBot(roomName, 'leo');
    await eventually(() => db.attendance.findFirst({ where: { identity: 'leo', room: { slug: roomName } } }));
    const watcher = await connectRealtime(roomName, 'wendy');
    const leo = await connectRealtime(roomName, 'leo');
    const identityOf = (u: TPresenceUpdate) =>
      u.kind === 'joined' ? u.participant.identity : 'identity' in u ? u.identity : null;
    const kindsFor = (identity: string) =>
      watcher.updates.filter((u) => identityOf(u.update) === identity).map((u) => u.update.kind);
    await eventually(async () => kindsFor('leo').includes('joined'));
    // The chat socket drops first (a closed tab): reconnecting, for the grace period (15 s).
    leo.socket.close();
    await eventually(async () => kindsFor('leo').includes('reconnecting'));
    // Then LiveKit reports the media connection gone: its webhook ends the grace period now.
    await bot.disconnect();
    await eventually(async () => kindsFor('leo').includes('left'), 10_000);
    const at = (kind: string) => watcher.updates.find((u) => u.update.kind === kind)!.at;
    // Well inside the 15 s grace period that would otherwise have ended it.
    expect(at('left') - at('reconnecting')).toBeLessThan(10_000);
    expect(kindsFor('leo')).toEqual(['joined', 'reconnecting', 'left']);
    // Someone still connected is not taken out by a stale participant_left.
    const wendyBot = await joinBot(roomName, 'wendy');
    await eventually(() =>
      db.attendance.findFirst({ where: { identity: 'wendy', room: { slug: roomName } } }),
    );
    await wendyBot.disconnect();
    await eventually(() =>
      db.attendance
        .findFirst({ where: { identity: 'wendy', room: { slug: roomName } }, select: { leftAt: true } })
        .then((a) => a?.leftAt),
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(watcher.socket.connected).toBe(true);
    expect(kindsFor('wendy')).not.toContain('left');
  });
});
