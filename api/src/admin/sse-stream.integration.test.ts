/**
 * The admin SSE body over a real hub and PostgreSQL: the events one log read finds reach a client
 * as one chunk, in id order, and a drain's retry hint comes after whatever was already queued.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Db } from '../db/client';
import { createLogger } from '../logger';
import { testDb, testEnv, uniqueName } from '../realtime/testing';
import { createAdminEventHub, type TAdminEventHub } from './event-hub';
import { appendAdminEvent, latestAdminEventId } from './events';
import { createSseStreams, openAdminEventStream } from './sse';

let db: Db;
let hub: TAdminEventHub;
beforeAll(() => {
  db = testDb();
  // No LISTEN and a slow poll: the test decides when the hub reads the log (wake).
  hub = createAdminEventHub({
    db,
    databaseUrl: testEnv().DATABASE_URL,
    pollMs: 60_000,
    logger: createLogger('silent'),
    listen: false,
  });
});
afterAll(async () => {
  await hub.close();
  await db.$disconnect();
});

const decoder = new TextDecoder();

async function appendInOneTransaction(room: string, count: number) {
  await db.$transaction(async (tx) => {
    for (let i = 0; i < count; i++) await appendAdminEvent(tx, 'room.updated', room, { i });
  });
}

/** Frames of one chunk that belong to `room`, as `[event id, data.i]`. */
function framesOf(chunk: string, room: string): [string, number][] {
  return chunk
    .split('\n\n')
    .filter((frame) => frame.startsWith('id: '))
    .map((frame) => JSON.parse(frame.slice(frame.indexOf('\ndata: ') + 7)))
    .filter((event) => event.room === room)
    .map((event) => [event.id, event.data.i]);
}

test('the events of one log read reach each client as one chunk, in order', async () => {
  const room = uniqueName('sse-chunk');
  const after = await latestAdminEventId(db);
  const readers = [0, 1].map(() => openAdminEventStream(hub, { after, heartbeatMs: 60_000 }).getReader());
  for (const reader of readers) {
    expect(decoder.decode((await reader.read()).value)).toBe('retry: 2000\n: connected\n\n');
  }

  await appendInOneTransaction(room, 5);
  hub.wake();

  const seen: string[][] = [];
  for (const reader of readers) {
    // Other suites share the database: skip chunks that hold none of ours.
    let mine: [string, number][] = [];
    while (mine.length === 0) mine = framesOf(decoder.decode((await reader.read()).value), room);
    expect(mine.map(([, i]) => i)).toEqual([0, 1, 2, 3, 4]);
    const ids = mine.map(([id]) => BigInt(id));
    expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);
    seen.push(mine.map(([id]) => id));
    await reader.cancel();
  }
  expect(seen[0]).toEqual(seen[1]);
});

test('a drain ends the stream after the events already queued, with the retry hint last', async () => {
  const room = uniqueName('sse-drain');
  const streams = createSseStreams();
  const reader = openAdminEventStream(hub, {
    after: await latestAdminEventId(db),
    heartbeatMs: 60_000,
    streams,
  }).getReader();
  expect(decoder.decode((await reader.read()).value)).toBe('retry: 2000\n: connected\n\n');

  // Registered after the stream's own subscription, so it sees an event after the stream queued
  // it: draining from here is draining with frames still queued for the client.
  const off = await hub.subscribe(null, (event) => {
    if (event.room === room && event.data.i === 2) expect(streams.closeAll(() => 750)).toBe(1);
  });
  await appendInOneTransaction(room, 3);
  hub.wake();

  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
  }
  off();
  expect(text.endsWith('retry: 750\n: reconnect\n\n')).toBe(true);
  expect(framesOf(text, room).map(([, i]) => i)).toEqual([0, 1, 2]);
});
