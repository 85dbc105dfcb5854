import { latestAdminEventId, publishAdminEvent } from '@convene/api/admin/events';
import { createDb } from '@convene/api/db/client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { adminCookie, collectEvents, ORIGIN, seedAdmin, sseReader } from './support/admin';
import { joinBot } from './support/bots';
import { testEnv } from './support/env';
import { uniqueRoom } from './support/tokens';
import { startWebInstance, type TWebInstance } from './support/web-instance';

const db = createDb(testEnv.databaseUrl, { poolSize: 3 });
let cookie = '';
beforeAll(async () => {
  const { email, password } = await seedAdmin(db, 'sse');
  cookie = await adminCookie(email, password);
});
afterAll(() => db.$disconnect());

function openStream(query = '', headers: Record<string, string> = {}, signal?: AbortSignal) {
  return fetch(`${testEnv.webUrl}/api/admin/events${query}`, { headers: { cookie, ...headers }, signal });
}

describe('admin SSE feed (/api/admin/events)', () => {
  test('answers with exact SSE headers, a retry hint and heartbeat comments', async () => {
    const abort = new AbortController();
    const res = await openStream('?heartbeatMs=300', {}, abort.signal);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    const reader = sseReader(res.body!);
    expect(await reader.next()).toBe('retry: 2000\n: connected');
    const started = Date.now();
    expect(await reader.nextControl(3000)).toBe(': ping');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await reader.nextControl(3000)).toBe(': ping');
    abort.abort();
  });

  test('every event has an id; a client that drops and reconnects with Last-Event-ID gets exactly the missed events', async () => {
    const room = uniqueRoom('sse-replay');
    const mine = (f: { data?: { room: string | null } }) => f.data?.room === room;
    const first = new AbortController();
    const cursor = (await latestAdminEventId(db)).toString();
    const res = await openStream(`?after=${cursor}`, {}, first.signal);
    const reader = sseReader(res.body!);
    for (let i = 0; i < 3; i++) await publishAdminEvent(db, 'room.updated', room, { seq: i });
    const seen = await collectEvents(reader, mine, 3);
    expect(seen.map((f) => f.data?.data.seq)).toEqual([0, 1, 2]);
    for (const f of seen) {
      expect(f.id).toMatch(/^\d+$/);
      expect(f.id).toBe(f.data?.id);
      expect(f.event).toBe('room.updated');
    }
    const lastSeen = seen[2]!.id!;
    first.abort();

    // While disconnected: 4 more events (produced by this process, i.e. not by the web server).
    for (let i = 3; i < 7; i++) await publishAdminEvent(db, 'room.updated', room, { seq: i });

    const second = new AbortController();
    const again = await openStream('', { 'last-event-id': lastSeen }, second.signal);
    const reader2 = sseReader(again.body!);
    const replayed = await collectEvents(reader2, () => true, 1);
    // The first event after the cursor, from anyone, is strictly newer than what we saw.
    expect(BigInt(replayed[0]!.id!)).toBeGreaterThan(BigInt(lastSeen));
    const rest = await collectEvents(reader2, mine, mine(replayed[0]!) ? 3 : 4);
    const missed = [...replayed.filter(mine), ...rest];
    expect(missed.map((f) => f.data?.data.seq)).toEqual([3, 4, 5, 6]);
    const ids = missed.map((f) => BigInt(f.id!));
    expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);
    // Live events keep flowing after the replay, once each.
    await publishAdminEvent(db, 'room.updated', room, { seq: 7 });
    expect((await collectEvents(reader2, mine, 1))[0]!.data?.data.seq).toBe(7);
    second.abort();
  });

  test('a LiveKit participant join reaches the feed (webhook → Postgres → NOTIFY → SSE)', async () => {
    const room = uniqueRoom('sse-bot');
    const abort = new AbortController();
    const res = await openStream(`?after=${(await latestAdminEventId(db)).toString()}`, {}, abort.signal);
    const reader = sseReader(res.body!);
    const bot = await joinBot(room, 'sse-bot');
    try {
      const [joined] = await collectEvents(
        reader,
        (f) => f.data?.room === room && f.event === 'participant.joined',
        1,
        10_000,
      );
      expect(joined?.data?.data.participant).toMatchObject({ identity: 'sse-bot', name: 'Bot sse-bot' });
    } finally {
      await bot.disconnect();
      abort.abort();
    }
  });

  describe('two instances', () => {
    // Instance B: a second real `next start` on the same build, database and Redis. Instance A:
    // the platform's web server. Each has its own hub LISTENing on Postgres.
    let instanceB: TWebInstance;
    let bUrl = '';
    beforeAll(async () => {
      instanceB = await startWebInstance({
        // Long: delivery below must come from LISTEN/NOTIFY, not the fallback poll.
        ADMIN_EVENT_POLL_MS: '60000',
      });
      bUrl = instanceB.url;
    });
    afterAll(async () => {
      await instanceB?.stop();
    });

    test('a moderation action handled by instance A reaches an SSE client on instance B, with the same id', async () => {
      const room = uniqueRoom('sse-xi');
      await db.room.create({ data: { slug: room, displayName: room } });
      const abortA = new AbortController();
      const abortB = new AbortController();
      const onA = sseReader(
        (await openStream(`?after=${await latestAdminEventId(db)}`, {}, abortA.signal)).body!,
      );
      const resB = await fetch(`${bUrl}/api/admin/events`, { headers: { cookie }, signal: abortB.signal });
      expect(resB.status).toBe(200);
      const onB = sseReader(resB.body!);
      expect(await onB.next()).toBe('retry: 2000\n: connected');
      await new Promise((r) => setTimeout(r, 300)); // B's hub: LISTEN established

      const started = Date.now();
      const action = await fetch(`${testEnv.webUrl}/api/admin/rooms/${room}/actions`, {
        method: 'POST',
        headers: { cookie, origin: ORIGIN, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'lock', locked: true }),
      });
      expect(action.status).toBe(200);
      const mine = (f: { data?: { room: string | null } }) => f.data?.room === room;
      const gotB = await collectEvents(onB, mine, 2, 5000);
      const latency = Date.now() - started;
      const gotA = await collectEvents(onA, mine, 2, 5000);
      expect(gotB.map((f) => f.event)).toEqual(['room.updated', 'moderation']);
      expect(gotB.map((f) => f.id)).toEqual(gotA.map((f) => f.id));
      expect(gotB[1]!.data?.data.audit).toMatchObject({ action: 'room.lock', target: null, room });
      expect(latency).toBeLessThan(2000);
      abortA.abort();
      abortB.abort();
    });
  });
});
