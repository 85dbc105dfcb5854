import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Db } from '../db/client';
import { REACTION_EMOJIS } from '../reactions/schemas';
import { CLIENT_EVENT_NAMES, type TClientEventName } from './contract';
import { internalBearer } from './internal-auth';
import { notifyParticipantLeft, postSystemMessage } from './internal-client';
import {
  connectRaw,
  firstSync,
  nextEvent,
  request,
  seedRoom,
  startInstance,
  type TTestInstance,
  type TTestSocket,
  testDb,
  tokenFor,
  uniqueName,
} from './testing';

let db: Db;
let server: TTestInstance;
const sockets: TTestSocket[] = [];

beforeAll(async () => {
  db = testDb();
  server = await startInstance({ db, redisPrefix: uniqueName('rt-sec') });
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});
afterAll(async () => {
  await server?.close();
  await db?.$disconnect();
});

async function connectAs(
  room: string,
  identity: string,
  role: 'host' | 'participant' | 'viewer' = 'participant',
) {
  const socket = await connectRaw(server.url, await tokenFor(server.env, room, identity, role));
  sockets.push(socket);
  await firstSync(socket);
  return socket;
}

function refusal(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error('connected, expected a refusal');
    },
    (error: { data?: { code: string; message: string } }) => error.data,
  );
}

describe('handshake', () => {
  test.each([
    ['expired', { ttl: '10s ago' }, 'UNAUTHENTICATED'],
    ['forged (wrong secret)', { secret: 'another-secret-that-is-at-least-32-chars-long' }, 'UNAUTHENTICATED'],
  ])('%s token is refused with a typed connect_error', async (_label, options, code) => {
    const room = await seedRoom(db);
    const token = await tokenFor(server.env, room, 'mallory', 'host', options);
    expect(await refusal(connectRaw(server.url, token))).toEqual({ code, message: expect.any(String) });
  });

  test.each([
    ['no token', undefined, 'UNAUTHENTICATED'],
    ['garbage token', 'not-a-jwt', 'UNAUTHENTICATED'],
  ])('%s is refused', async (_label, token, code) => {
    const socket = connectRaw(server.url, token as string);
    expect(await refusal(socket)).toMatchObject({ code });
  });

  test('a token for a room that does not exist is refused', async () => {
    const token = await tokenFor(server.env, uniqueName('ghost'), 'mallory');
    expect(await refusal(connectRaw(server.url, token))).toMatchObject({ code: 'ROOM_NOT_FOUND' });
  });

  test.each([['websocket'], ['polling']] as const)(
    'a foreign Origin is refused (%s); an allowed one connects',
    async (transport) => {
      const room = await seedRoom(db);
      const token = await tokenFor(server.env, room, 'olga');
      const foreign = connectRaw(server.url, token, {
        transports: [transport],
        extraHeaders: { origin: 'https://evil.example' },
      });
      expect(await refusal(foreign)).toMatchObject({ code: 'FORBIDDEN' });
      const allowedOrigin = server.env.ALLOWED_ORIGINS[0]!;
      const ok = await connectRaw(server.url, token, {
        transports: [transport],
        extraHeaders: { origin: allowedOrigin },
      });
      sockets.push(ok);
      expect(ok.connected).toBe(true);
    },
  );
});

describe('room isolation', () => {
  test('a token for room X neither receives nor sends in room Y', async () => {
    const [x, y] = [await seedRoom(db), await seedRoom(db)];
    const inX = await connectAs(x, 'xena');
    const inY = await connectAs(y, 'yuri');
    const leaked: unknown[] = [];
    inX.on('chat:message', (m) => leaked.push(m));
    inX.on('presence:update', (u) => leaked.push(u));

    // Naming another room in a payload is not even valid.
    const sneaky = await request(inX, 'chat:send', { clientId: 'sneaky-01', text: 'hi', room: y } as never);
    expect(sneaky).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });

    const yMessage = nextEvent(inY, 'chat:message');
    await request(inY, 'chat:send', { clientId: 'y-message-1', text: 'only for Y' });
    await yMessage;
    await request(inY, 'hand:raise', {});
    const xHistory = await request(inX, 'chat:history', { limit: 50 });
    expect(xHistory.ok && xHistory.data.messages).toEqual([]);

    const yGotX: unknown[] = [];
    inY.on('chat:message', (m) => yGotX.push(m));
    const sent = await request(inX, 'chat:send', { clientId: 'x-message-1', text: 'only for X' });
    expect(sent.ok && sent.data.seq).toBe(1);
    const yHistory = await request(inY, 'chat:history', { limit: 50 });
    expect(yHistory.ok && yHistory.data.messages.map((m) => m.text)).toEqual(['only for Y']);
    await new Promise((r) => setTimeout(r, 200));
    expect(leaked.filter((e) => (e as { text?: string }).text !== 'only for X')).toEqual([]);
    expect(yGotX).toEqual([]);
  });
});

describe('permissions', () => {
  test('only a host can record: participant and viewer get FORBIDDEN; host goes starting → recording → idle', async () => {
    const room = await seedRoom(db);
    const host = await connectAs(room, 'hana', 'host');
    const guest = await connectAs(room, 'gus', 'participant');
    const viewer = await connectAs(room, 'vic', 'viewer');
    for (const socket of [guest, viewer]) {
      for (const event of ['recording:start', 'recording:stop'] as const) {
        expect(await request(socket, event, {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      }
    }

    const states: string[] = [];
    guest.on('recording:state', (s) => states.push(s.state));
    const recording = nextEvent(guest, 'recording:state', (s) => s.state === 'recording');
    const started = await request(host, 'recording:start', {});
    expect(started).toMatchObject({ ok: true, data: { state: 'starting', startedBy: { identity: 'hana' } } });
    await recording;
    expect(await request(host, 'recording:start', {})).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(await request(guest, 'recording:stop', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });

    const idle = nextEvent(guest, 'recording:state', (s) => s.state === 'idle');
    expect(await request(host, 'recording:stop', {})).toMatchObject({
      ok: true,
      data: { state: 'stopping' },
    });
    await idle;
    expect(states).toEqual(['starting', 'recording', 'stopping', 'idle']);
    const rows = await db.recording.findMany({ where: { room: { slug: room } } });
    expect(rows).toMatchObject([{ state: 'ready', startedBy: 'hana' }]);
  });

  test('a failing recorder leaves the room in `failed`, and a new recording may start', async () => {
    const failing = await startInstance({
      db,
      redisPrefix: uniqueName('rt-rec'),
      recorder: {
        start: () => Promise.reject(new Error('egress unavailable')),
        stop: async () => ({}),
      },
    });
    try {
      const room = await seedRoom(db);
      const host = await connectRaw(failing.url, await tokenFor(failing.env, room, 'hana', 'host'));
      sockets.push(host);
      const failed = nextEvent(host, 'recording:state', (s) => s.state === 'failed');
      await request(host, 'recording:start', {});
      expect(await failed).toMatchObject({ reason: expect.any(String) });
      expect(await request(host, 'recording:start', {})).toMatchObject({
        ok: true,
        data: { state: 'starting' },
      });
    } finally {
      await failing.close();
    }
  });

  test("hands: ordered queue; only a host lowers someone else's hand", async () => {
    const room = await seedRoom(db);
    const host = await connectAs(room, 'hana', 'host');
    const ann = await connectAs(room, 'ann');
    const ben = await connectAs(room, 'ben');
    await request(ben, 'hand:raise', {});
    await request(ann, 'hand:raise', {});
    const again = await request(ben, 'hand:raise', {});
    expect(again.ok && again.data.map((h) => h.identity)).toEqual(['ben', 'ann']);
    expect(await request(ann, 'hand:lower', { identity: 'ben' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const update = nextEvent(ann, 'presence:update', (u) => u.kind === 'hands');
    const lowered = await request(host, 'hand:lower', { identity: 'ben' });
    expect(lowered.ok && lowered.data.map((h) => h.identity)).toEqual(['ann']);
    expect(await update).toEqual({
      kind: 'hands',
      hands: [{ identity: 'ann', raisedAt: expect.any(Number) }],
    });
  });
});

describe('limits and validation', () => {
  test('chat text over 4000 characters is VALIDATION_FAILED; a packet over maxHttpBufferSize drops the socket', async () => {
    const room = await seedRoom(db);
    const socket = await connectAs(room, 'olive');
    expect(
      await request(socket, 'chat:send', { clientId: 'long-long-1', text: 'x'.repeat(4001) }),
    ).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    const dropped = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    socket.emit('chat:send', { clientId: 'huge-huge-1', text: 'x'.repeat(200_000) }, () => {});
    expect(await dropped).toMatch(/transport close|transport error/);
    expect(await db.chatMessage.count({ where: { room: { slug: room } } })).toBe(0);
    // The server is still serving.
    const again = await connectAs(room, 'olive');
    expect(await request(again, 'chat:send', { clientId: 'after-huge-1', text: 'fine' })).toMatchObject({
      ok: true,
    });
  });

  test('a flood is answered RATE_LIMITED, then the socket is disconnected', async () => {
    const room = await seedRoom(db);
    const observer = await connectAs(room, 'obi');
    const broadcast: string[] = [];
    observer.on('reaction', (r) => broadcast.push(r.emoji));
    const socket = await connectAs(room, 'flo');
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const codes: string[] = [];
    for (let i = 0; i < 150; i++) {
      socket.emit('reaction:send', { emoji: '👍' }, (r) => codes.push(r.ok ? 'ok' : r.error.code));
    }
    expect(await disconnected).toBe('io server disconnect');
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.every((c) => c === 'RATE_LIMITED' || c === 'ok')).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    // Only the reaction bucket's burst got through to the room.
    expect(broadcast.length).toBeGreaterThan(0);
    expect(broadcast.length).toBeLessThanOrEqual(5);
    const fresh = await connectAs(room, 'flo');
    expect(await request(fresh, 'chat:send', { clientId: 'after-flood', text: 'hello' })).toMatchObject({
      ok: true,
    });
  });

  const malformed: unknown[] = [null, 'text', 42, [], { unexpected: true }];
  const specific: Partial<Record<TClientEventName, unknown[]>> = {
    'chat:send': [
      { clientId: 'short', text: 'x' },
      { clientId: 'valid-id-1', text: '   ' },
      { clientId: 'valid-id-1', text: 7 },
    ],
    'chat:history': [
      { limit: 0 },
      { limit: 1000 },
      { afterSeq: 1, beforeSeq: 5, limit: 10 },
      { afterSeq: -1, limit: 5 },
    ],
    'hand:lower': [{ identity: '' }, { identity: 5 }],
    'reaction:send': [{ emoji: '💩' }, { emoji: REACTION_EMOJIS[0].repeat(2) }],
  };

  test.each(CLIENT_EVENT_NAMES)(
    'malformed %s payloads → VALIDATION_FAILED, server keeps serving',
    async (event) => {
      const room = await seedRoom(db);
      const socket = await connectAs(room, 'mal', 'host');
      const payloads = [...malformed, ...(specific[event] ?? [])];
      for (const payload of payloads) {
        const result = await request(socket, event, payload as never);
        expect(result, `${event} ${JSON.stringify(payload)}`).toMatchObject({
          ok: false,
          error: { code: 'VALIDATION_FAILED', message: expect.any(String) },
        });
      }
      // No payload at all, only the ack.
      const bare = await new Promise((resolve) => (socket.emit as (...a: unknown[]) => void)(event, resolve));
      expect(bare).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      expect(socket.connected).toBe(true);
      expect(await request(socket, 'chat:send', { clientId: 'still-works', text: 'ok' })).toMatchObject({
        ok: true,
      });
    },
  );
});

describe('internal endpoint', () => {
  test('system messages need the internal bearer; they are stored with seq and broadcast', async () => {
    const room = await seedRoom(db);
    const socket = await connectAs(room, 'sam');
    const url = `${server.url}/internal/rooms/${room}/messages`;
    const body = JSON.stringify({ clientId: 'sys-message-1', text: 'Recording will start soon' });
    const unauthenticated = await fetch(url, {
      method: 'POST',
      body,
      headers: { authorization: 'Bearer nope' },
    });
    expect(unauthenticated.status).toBe(401);
    expect(await unauthenticated.json()).toMatchObject({ code: 'UNAUTHENTICATED' });

    const broadcast = nextEvent(socket, 'chat:message');
    const config = { realtimeUrl: server.url, livekitApiSecret: server.env.LIVEKIT_API_SECRET };
    const stored = await postSystemMessage(config, room, {
      clientId: 'sys-message-1',
      text: 'Recording will start soon',
    });
    expect(stored).toMatchObject({ kind: 'system', senderIdentity: 'system', seq: 1 });
    expect(await broadcast).toEqual(stored);
    expect(
      await postSystemMessage(config, room, { clientId: 'sys-message-1', text: 'Recording will start soon' }),
    ).toEqual(stored);
    await expect(
      postSystemMessage(config, uniqueName('ghost'), { clientId: 'sys-message-2', text: 'x' }),
    ).rejects.toMatchObject({
      code: 'ROOM_NOT_FOUND',
    });
    const bad = await fetch(url, {
      method: 'POST',
      body: '{"text":',
      headers: { authorization: `Bearer ${internalBearer(server.env.LIVEKIT_API_SECRET)}` },
    });
    expect(bad.status).toBe(400);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe('LiveKit reconciliation', () => {
  test('a participant LiveKit reports gone leaves at once if their socket is gone; not while connected', async () => {
    const room = await seedRoom(db);
    const config = { realtimeUrl: server.url, livekitApiSecret: server.env.LIVEKIT_API_SECRET };
    const watcher = await connectAs(room, 'wendy');
    const leaver = await connectAs(room, 'leo');
    expect(await notifyParticipantLeft(config, room, 'leo')).toEqual({ left: false });
    const reconnecting = nextEvent(watcher, 'presence:update', (u) => u.kind === 'reconnecting');
    leaver.close();
    await reconnecting;
    const left = nextEvent(watcher, 'presence:update', (u) => u.kind === 'left', 1000);
    expect(await notifyParticipantLeft(config, room, 'leo')).toEqual({ left: true });
    expect(await left).toEqual({ kind: 'left', identity: 'leo' });
  });
});

describe('without Redis', () => {
  test('one process keeps presence in memory: join, typing, grace, left', async () => {
    const solo = await startInstance({
      db,
      redisPrefix: 'unused',
      env: { REDIS_URL: undefined, PRESENCE_GRACE_SECONDS: '1' },
    });
    try {
      const room = await seedRoom(db);
      const a = await connectRaw(solo.url, await tokenFor(solo.env, room, 'ann'));
      sockets.push(a);
      await firstSync(a);
      const joined = nextEvent(a, 'presence:update', (u) => u.kind === 'joined');
      const b = await connectRaw(solo.url, await tokenFor(solo.env, room, 'ben'));
      expect((await firstSync(b)).participants.map((p) => p.identity).sort()).toEqual(['ann', 'ben']);
      await joined;
      const typing = nextEvent(a, 'presence:update', (u) => u.kind === 'typing');
      await request(b, 'typing:start', {});
      await typing;
      const left = nextEvent(a, 'presence:update', (u) => u.kind === 'left', 5000);
      const reconnecting = nextEvent(a, 'presence:update', (u) => u.kind === 'reconnecting');
      b.close();
      await reconnecting;
      expect(await left).toEqual({ kind: 'left', identity: 'ben' });
    } finally {
      await solo.close();
    }
  });
});
