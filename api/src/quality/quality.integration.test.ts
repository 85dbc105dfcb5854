/**
 * Connection quality end to end on the server side: a real realtime instance and Postgres. The
 * browser's report arrives over the contract, is stored on change, and flags the room in the
 * admin overview once it has stayed poor for longer than the threshold.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { latestAdminEventId, readAdminEventsAfter } from '../admin/events';
import { getLiveOverview } from '../admin/overview';
import type { Db } from '../db/client';
import {
  connectRaw,
  eventually,
  request,
  seedRoom,
  startInstance,
  type TTestInstance,
  type TTestSocket,
  testDb,
  tokenFor,
  uniqueName,
} from '../realtime/testing';
import { pruneQualitySamples, QUALITY_SAMPLE_RETENTION_MS } from './prune';
import { getQualityHistory } from './room-quality';

let db: Db;
let server: TTestInstance;
const sockets: TTestSocket[] = [];
const FLAG_SECONDS = 0.6;

beforeAll(async () => {
  db = testDb();
  server = await startInstance({
    db,
    redisPrefix: uniqueName('rt-quality'),
    env: { QUALITY_POOR_FLAG_SECONDS: String(FLAG_SECONDS) },
  });
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});
afterAll(async () => {
  await server.close();
  await db.$disconnect();
});

/** A room with a running meeting and `identity` present in it (as LiveKit webhooks record it). */
async function liveRoom(identity: string) {
  const slug = await seedRoom(db, 'quality');
  const roomId = (await db.room.findUniqueOrThrow({ where: { slug } })).id;
  const meeting = await db.meeting.create({
    data: { roomId, livekitRoomSid: uniqueName('RM'), startedAt: new Date(Date.now() - 60_000) },
  });
  await db.attendance.create({
    data: {
      roomId,
      meetingId: meeting.id,
      identity,
      displayName: identity,
      role: 'participant',
      livekitParticipantSid: uniqueName('PA'),
      joinedAt: new Date(Date.now() - 30_000),
    },
  });
  return slug;
}

async function connectAs(room: string, identity: string) {
  const socket = await connectRaw(server.url, await tokenFor(server.env, room, identity));
  sockets.push(socket);
  return socket;
}

async function overviewRoom(slug: string, poorQualityMs: number) {
  const { rooms } = await getLiveOverview(db, { poorQualityMs });
  return rooms.find((r) => r.slug === slug)!;
}

async function flagEvents(slug: string, after: bigint) {
  return (await readAdminEventsAfter(db, after, 5000))
    .filter((e) => e.type === 'room.quality' && e.room === slug)
    .map((e) => e.data.flagged);
}

describe('quality:report', () => {
  test('poor for longer than the threshold flags the room; recovering unflags it', async () => {
    const slug = await liveRoom('ann');
    const cursor = await latestAdminEventId(db);
    const ann = await connectAs(slug, 'ann');

    expect(await request(ann, 'quality:report', { quality: 'good' })).toEqual({
      ok: true,
      data: { quality: 'good', changed: true },
    });
    expect(await request(ann, 'quality:report', { quality: 'poor' })).toMatchObject({
      data: { changed: true },
    });
    // A repeat is acknowledged but not stored.
    expect(await request(ann, 'quality:report', { quality: 'poor' })).toMatchObject({
      data: { changed: false },
    });

    // Just reported: not yet flagged (a long threshold), though the participant shows poor.
    const early = await overviewRoom(slug, 60_000);
    expect(early.qualityFlagged).toBe(false);
    expect(early.participants[0]!.quality).toMatchObject({ quality: 'poor' });

    // With a short threshold the same state flags the room once it has passed.
    await new Promise((r) => setTimeout(r, 300));
    expect((await overviewRoom(slug, 200)).qualityFlagged).toBe(true);
    expect((await overviewRoom(slug, 60_000)).qualityFlagged).toBe(false);

    // The realtime server announces the flag after QUALITY_POOR_FLAG_SECONDS.
    await eventually(async () => (await flagEvents(slug, cursor)).length === 1, 5000, 'flag event');
    expect(await flagEvents(slug, cursor)).toEqual([true]);

    expect(await request(ann, 'quality:report', { quality: 'good' })).toMatchObject({
      data: { changed: true },
    });
    expect((await overviewRoom(slug, 200)).qualityFlagged).toBe(false);
    await eventually(async () => (await flagEvents(slug, cursor)).length === 2, 5000, 'unflag event');
    expect(await flagEvents(slug, cursor)).toEqual([true, false]);

    const history = await getQualityHistory(db, slug, new Date(Date.now() - 60_000));
    expect(history.ann!.map((h) => h.quality)).toEqual(['good', 'poor', 'good']);
    const changes = (await readAdminEventsAfter(db, cursor, 5000)).filter(
      (e) => e.type === 'participant.quality' && e.room === slug,
    );
    expect(changes.map((e) => e.data.quality)).toEqual(['good', 'poor', 'good']);
  });

  test('a poor spell shorter than the threshold never flags the room', async () => {
    const slug = await liveRoom('bob');
    const cursor = await latestAdminEventId(db);
    const bob = await connectAs(slug, 'bob');
    await request(bob, 'quality:report', { quality: 'lost' });
    await request(bob, 'quality:report', { quality: 'excellent' });
    await new Promise((r) => setTimeout(r, FLAG_SECONDS * 1000 + 400));
    expect(await flagEvents(slug, cursor)).toEqual([]);
    expect((await overviewRoom(slug, 200)).qualityFlagged).toBe(false);
  });

  test('participants who left do not flag the room, and bad payloads are refused', async () => {
    const slug = await liveRoom('cat');
    const cat = await connectAs(slug, 'cat');
    await request(cat, 'quality:report', { quality: 'poor' });
    await new Promise((r) => setTimeout(r, 300));
    expect((await overviewRoom(slug, 200)).qualityFlagged).toBe(true);
    await db.attendance.updateMany({
      where: { identity: 'cat', room: { slug } },
      data: { leftAt: new Date() },
    });
    expect((await overviewRoom(slug, 200)).qualityFlagged).toBe(false);

    for (const bad of [{ quality: 'unknown' }, { quality: 'poor', identity: 'ann' }, {}]) {
      expect(await request(cat, 'quality:report', bad as never)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED' },
      });
    }
  });
});

describe('quality sample retention', () => {
  test('samples older than the retention are deleted, recent ones kept', async () => {
    const room = uniqueName('q-prune');
    const now = new Date();
    const old = new Date(now.getTime() - QUALITY_SAMPLE_RETENTION_MS - 60_000);
    const recent = new Date(now.getTime() - QUALITY_SAMPLE_RETENTION_MS + 60_000);
    await db.qualitySample.createMany({
      data: [
        { roomSlug: room, identity: 'old', quality: 'poor', createdAt: old },
        { roomSlug: room, identity: 'recent', quality: 'good', createdAt: recent },
      ],
    });
    expect(await pruneQualitySamples(db, now)).toBeGreaterThanOrEqual(1);
    const left = await db.qualitySample.findMany({ where: { roomSlug: room }, select: { identity: true } });
    expect(left.map((r) => r.identity)).toEqual(['recent']);
  });
});
