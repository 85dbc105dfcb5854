import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRealtimeClient, type TRealtimeClient } from '../../../web/src/lib/realtime/client';
import type { Db } from '../db/client';
import {
  connectRaw,
  eventually,
  firstSync,
  nextEvent,
  request,
  seedRoom,
  startInstance,
  type TTestInstance,
  testDb,
  tokenFor,
  uniqueName,
} from './testing';

let db: Db;
let one: TTestInstance;
let two: TTestInstance;

beforeAll(async () => {
  db = testDb();
  const redisPrefix = uniqueName('rt-resume');
  const env = { PRESENCE_GRACE_SECONDS: '10' };
  one = await startInstance({ db, redisPrefix, env });
  two = await startInstance({ db, redisPrefix, env });
});
afterAll(async () => {
  await Promise.all([one?.close(), two?.close()]);
  await db?.$disconnect();
});

function storedSeqs(client: TRealtimeClient) {
  return client.getSnapshot().messages.flatMap((m) => (m.state === 'stored' ? [m.seq] : []));
}

describe('client core: offline queue and resume across instances', () => {
  test.each([
    ['websocket', ['websocket'] as ('websocket' | 'polling')[]],
    ['polling only', ['polling'] as ('websocket' | 'polling')[]],
  ])('every message exactly once, in seq order; offline sends stored once (%s)', async (_l, transports) => {
    const room = await seedRoom(db);
    let target = one.url;
    let tokenFetches = 0;
    const client = createRealtimeClient({
      url: () => target,
      getToken: () => {
        tokenFetches += 1;
        return tokenFor(one.env, room, 'xavier');
      },
      transports,
      backoff: { initialMs: 100, maxMs: 300, jitter: 0.5 },
      ackTimeoutMs: 3000,
    });
    const bob = await connectRaw(two.url, await tokenFor(two.env, room, 'bob'), { transports });
    try {
      client.connect();
      await eventually(
        () => client.getSnapshot().status === 'connected' && client.getSnapshot().self !== null,
      );
      client.sendMessage('before 1');
      client.sendMessage('before 2');
      await eventually(() => storedSeqs(client).length === 2, 5000, 'two stored');

      // The network goes away: the transport dies and reconnect attempts hit a dead address.
      const bobSeesReconnecting = nextEvent(bob, 'presence:update', (u) => u.kind === 'reconnecting');
      target = 'http://127.0.0.1:9';
      client.socket.io.engine.close();
      await eventually(() => client.getSnapshot().status === 'reconnecting', 5000, 'reconnecting');
      await bobSeesReconnecting;

      for (let i = 1; i <= 20; i++) {
        const r = await request(bob, 'chat:send', { clientId: `bob-msg-${i}`, text: `bob ${i}` });
        expect(r.ok).toBe(true);
      }
      const offlineIds = ['offline 1', 'offline 2', 'offline 3'].map((t) => client.sendMessage(t));
      expect(client.getSnapshot().messages.filter((m) => m.state === 'pending')).toHaveLength(3);

      // Back, on the OTHER instance.
      const bobSeesReturn = nextEvent(bob, 'presence:update', (u) => u.kind === 'joined');
      target = two.url;
      await eventually(
        () => storedSeqs(client).length === 25 && client.getSnapshot().messages.length === 25,
        10_000,
        'all 25 messages stored and merged',
      );
      expect(await bobSeesReturn).toMatchObject({ participant: { identity: 'xavier', status: 'online' } });
      expect(tokenFetches).toBeGreaterThanOrEqual(2);
      const onTwo = [...two.server.io.of('/').sockets.values()].map((s) => s.data.join.identity);
      expect(onTwo).toContain('xavier');

      const seqs = storedSeqs(client);
      expect(seqs).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      const texts = client.getSnapshot().messages.map((m) => m.text);
      expect(texts.slice(0, 22)).toEqual([
        'before 1',
        'before 2',
        ...Array.from({ length: 20 }, (_, i) => `bob ${i + 1}`),
      ]);
      expect(texts.slice(22)).toEqual(['offline 1', 'offline 2', 'offline 3']);

      // A retry of the same three (an ack lost on the way) from another tab of the same person,
      // on the first instance: the originals come back, nothing is stored twice.
      const tab = await connectRaw(one.url, await tokenFor(one.env, room, 'xavier'), { transports });
      const retried = await Promise.all(
        offlineIds.map((clientId, i) => request(tab, 'chat:send', { clientId, text: `offline ${i + 1}` })),
      );
      expect(retried.map((r) => r.ok && r.data.seq)).toEqual([23, 24, 25]);
      tab.close();
      const roomId = (await db.room.findUniqueOrThrow({ where: { slug: room } })).id;
      expect(await db.chatMessage.count({ where: { roomId } })).toBe(25);
      expect(await db.chatMessage.count({ where: { roomId, clientId: { in: offlineIds } } })).toBe(3);
    } finally {
      client.close();
      bob.close();
    }
  });

  test('a token refused at the handshake (expired) is replaced: the client fetches a fresh one and connects', async () => {
    const room = await seedRoom(db);
    const fetched: number[] = [];
    const client = createRealtimeClient({
      url: one.url,
      getToken: () => {
        fetched.push(Date.now());
        // The first one has expired (as after a laptop slept past its TTL).
        return fetched.length === 1
          ? tokenFor(one.env, room, 'yara', 'participant', { ttl: '10s ago' })
          : tokenFor(one.env, room, 'yara');
      },
      backoff: { initialMs: 100, maxMs: 300, jitter: 0.5 },
    });
    try {
      client.connect();
      await eventually(
        () => client.getSnapshot().status === 'connected' && client.getSnapshot().self !== null,
        10_000,
        'connected and synced',
      );
      expect(fetched).toHaveLength(2);
      // Retried after a jittered 1 s (500 ms × 2, ±50 %), not at once.
      expect(fetched[1]! - fetched[0]!).toBeGreaterThanOrEqual(450);
      expect(client.getSnapshot().self?.identity).toBe('yara');
    } finally {
      client.close();
    }
  });
});

describe('chat durability', () => {
  test('concurrent sends on two instances get gapless unique seqs; a concurrent duplicate is stored once', async () => {
    const room = await seedRoom(db);
    const a = await connectRaw(one.url, await tokenFor(one.env, room, 'ann'));
    const b = await connectRaw(two.url, await tokenFor(two.env, room, 'ben'));
    const a2 = await connectRaw(two.url, await tokenFor(two.env, room, 'ann'));
    await Promise.all([firstSync(a), firstSync(b), firstSync(a2)]);
    try {
      const sends = [
        ...Array.from({ length: 15 }, (_, i) =>
          request(a, 'chat:send', { clientId: `ann-${i}-xxxxx`, text: `a${i}` }),
        ),
        ...Array.from({ length: 15 }, (_, i) =>
          request(b, 'chat:send', { clientId: `ben-${i}-xxxxx`, text: `b${i}` }),
        ),
        // The same clientId from two sockets of one person on two instances at once.
        request(a, 'chat:send', { clientId: 'dup-dup-dup', text: 'once' }),
        request(a2, 'chat:send', { clientId: 'dup-dup-dup', text: 'once' }),
      ];
      const results = await Promise.all(sends);
      const data = results.map((r) => (r.ok ? r.data : null));
      expect(data.every(Boolean)).toBe(true);
      const dup = data.slice(30);
      expect(dup[0]).toEqual(dup[1]);
      const seqs = [...new Set(data.map((m) => m!.seq))].sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
      const stored = await db.room.findUniqueOrThrow({ where: { slug: room }, select: { chatSeq: true } });
      expect(stored.chatSeq).toBe(31);

      const older = await request(a, 'chat:history', { beforeSeq: 11, limit: 5 });
      expect(older.ok && older.data.messages.map((m) => m.seq)).toEqual([6, 7, 8, 9, 10]);
      expect(older.ok && older.data.hasMore).toBe(true);
      const newer = await request(a, 'chat:history', { afterSeq: 28, limit: 5 });
      expect(newer.ok && newer.data).toMatchObject({ hasMore: false });
      expect(newer.ok && newer.data.messages.map((m) => m.seq)).toEqual([29, 30, 31]);
    } finally {
      for (const s of [a, b, a2]) s.close();
    }
  });
});
