/**
 * Recording lifecycle across a cluster: two real realtime instances (one Redis, one database),
 * each with its own embedded recorder, an rtc-node bot publishing a tone through the real
 * livekit-server. A stop that reaches the instance not holding the recording is relayed to the
 * one that does; a stop nobody holds ends as failed; transitions write their outgoing webhooks in
 * the same transaction; the retention sweep deletes expired files and rows.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { joinBot, publishTone, type TBot } from '../../../e2e/support/bots';
import type { Db } from '../db/client';
import { createLogger } from '../logger';
import { askRecordingHeld } from '../realtime/recording-relay';
import { createRealtimeServer } from '../realtime/server';
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
  testEnv,
  tokenFor,
  uniqueName,
} from '../realtime/testing';
import { createWebhookEndpoint } from '../webhooks/endpoints';
import { webhookDepsFromEnv } from '../webhooks/webhook-runtime';
import { failOrphanedRecordings, OWNER_GONE_REASON } from './control-recording';
import { createEmbeddedRecorder, type TEmbeddedRecorder } from './embedded-recorder';
import { sweepExpiredRecordings } from './retention';

let db: Db;
let dir: string;
let one: TTestInstance;
let two: TTestInstance;
let recorderOne: TEmbeddedRecorder;
let recorderTwo: TEmbeddedRecorder;
let endpointId: string;
const env = testEnv();
const logger = createLogger(env.LOG_LEVEL, { service: 'recording-lifecycle-test' });

function embeddedRecorder() {
  return createEmbeddedRecorder({
    livekitUrl: env.LIVEKIT_URL,
    keys: { apiKey: env.LIVEKIT_API_KEY, apiSecret: env.LIVEKIT_API_SECRET },
    recordingsDir: dir,
    logger,
  });
}

beforeAll(async () => {
  db = testDb();
  dir = await mkdtemp(join(tmpdir(), 'convene-rec-life-'));
  recorderOne = embeddedRecorder();
  recorderTwo = embeddedRecorder();
  const redisPrefix = uniqueName('rt-rec-life');
  // Both instances live in this process: distinct INSTANCE_IDs make them two owners.
  one = await startInstance({ db, redisPrefix, recorder: recorderOne, env: { INSTANCE_ID: 'rec-one' } });
  two = await startInstance({ db, redisPrefix, recorder: recorderTwo, env: { INSTANCE_ID: 'rec-two' } });
  // An endpoint subscribed to the recording events, so transitions write outbox rows. Its URL is
  // the realtime health route: a delivery by the platform's worker there is harmless.
  const { endpoint } = await createWebhookEndpoint(webhookDepsFromEnv(env, db), {
    url: `${one.url}/healthz`,
    eventTypes: ['recording.started', 'recording.ready', 'recording.failed'],
  });
  endpointId = endpoint.id;
});

afterAll(async () => {
  await Promise.all([recorderOne?.stopAll(), recorderTwo?.stopAll()]);
  await Promise.all([one?.close(), two?.close()]);
  if (endpointId) await db.webhookEndpoint.delete({ where: { id: endpointId } }).catch(() => undefined);
  await db?.$disconnect();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The outbox events written for a recording, by type. */
async function outboxEvents(recordingId: string) {
  const events = await db.webhookEvent.findMany({
    where: { type: { startsWith: 'recording.' } },
    include: { deliveries: { select: { endpointId: true } } },
    orderBy: { createdAt: 'asc' },
  });
  return events.filter(
    (e) => (e.payload as { data?: { recording?: { id?: string } } }).data?.recording?.id === recordingId,
  );
}

describe('recording routed to the owning instance', () => {
  test('a host on instance 1 starts, a host on instance 2 stops: the owner finalises it as ready', async () => {
    const room = await seedRoom(db, 'rec-route');
    let bot: TBot | undefined;
    try {
      bot = await joinBot(room, 'alice');
      await publishTone(bot.room, 440);
      const hostOne = await connectRaw(one.url, await tokenFor(one.env, room, 'hana', 'host'));
      const hostTwo = await connectRaw(two.url, await tokenFor(two.env, room, 'hugo', 'host'));
      await Promise.all([firstSync(hostOne), firstSync(hostTwo)]);

      const recording = nextEvent(hostTwo, 'recording:state', (s) => s.state === 'recording', 15_000);
      const started = await request(hostOne, 'recording:start', {});
      expect(started).toMatchObject({ ok: true, data: { state: 'starting' } });
      const recordingId = (started as { data: { recordingId: string } }).data.recordingId;
      await recording;
      expect(recorderOne.owns(recordingId)).toBe(true);
      expect(recorderTwo.owns(recordingId)).toBe(false);
      const stored = await db.recording.findUniqueOrThrow({ where: { id: recordingId } });
      expect(stored.ownerInstance).toBe('rec-one');
      await sleep(4000);

      const idle = nextEvent(hostOne, 'recording:state', (s) => s.state === 'idle', 20_000);
      expect(await request(hostTwo, 'recording:stop', {})).toMatchObject({
        ok: true,
        data: { state: 'stopping', recordingId },
      });
      await idle;
      hostOne.close();
      hostTwo.close();

      const row = await db.recording.findUniqueOrThrow({ where: { id: recordingId } });
      expect(row).toMatchObject({ state: 'ready', failureReason: null });
      expect(row.filePath).toMatch(/\.webm$/);
      expect(row.sizeBytes).toBe(BigInt((await stat(row.filePath!)).size));
      process.stdout.write(
        `stop relayed to the owner: ${row.durationSeconds?.toFixed(2)} s, ${row.sizeBytes} bytes\n`,
      );
      expect(row.durationSeconds).toBeGreaterThan(3);
      expect(row.durationSeconds).toBeLessThan(15);
      expect(row.participants).toEqual(expect.arrayContaining([{ identity: 'alice', name: 'Bot alice' }]));
      expect(recorderOne.owns(recordingId)).toBe(false);

      // recording.started and recording.ready, each with a delivery to the endpoint.
      const events = await outboxEvents(recordingId);
      expect(events.map((e) => e.type)).toEqual(['recording.started', 'recording.ready']);
      for (const event of events) expect(event.deliveries.map((d) => d.endpointId)).toContain(endpointId);
      const roomId = (await db.room.findUniqueOrThrow({ where: { slug: room } })).id;
      expect((events[1]!.payload as { data: unknown }).data).toMatchObject({
        room: { id: roomId, name: room },
        recording: {
          id: recordingId,
          room,
          durationSeconds: row.durationSeconds,
          sizeBytes: Number(row.sizeBytes),
          downloadUrl: `/api/v1/recordings/${recordingId}/download`,
          participants: expect.arrayContaining([{ identity: 'alice', name: 'Bot alice' }]),
        },
      });
    } finally {
      await bot?.disconnect();
    }
  }, 60_000);

  test('a stop nobody holds (the owning process is gone) ends as failed, never stuck', async () => {
    const room = await seedRoom(db, 'rec-gone');
    const roomRow = await db.room.findUniqueOrThrow({ where: { slug: room } });
    // What a crashed instance leaves behind: an active row owned by an instance that no longer runs.
    const orphan = await db.recording.create({
      data: {
        roomId: roomRow.id,
        state: 'recording',
        startedBy: 'hana',
        startedByName: 'Hana',
        ownerInstance: 'rec-crashed',
      },
    });
    const host = await connectRaw(two.url, await tokenFor(two.env, room, 'hugo', 'host'));
    await firstSync(host);
    const failed = nextEvent(host, 'recording:state', (s) => s.state === 'failed', 10_000);
    expect(await request(host, 'recording:stop', {})).toMatchObject({
      ok: true,
      data: { state: 'stopping' },
    });
    expect(await failed).toMatchObject({
      state: 'failed',
      recordingId: orphan.id,
      reason: OWNER_GONE_REASON,
    });
    host.close();
    const row = await db.recording.findUniqueOrThrow({ where: { id: orphan.id } });
    expect(row).toMatchObject({ state: 'failed', failureReason: OWNER_GONE_REASON });
    expect(row.endedAt).not.toBeNull();
    const events = await outboxEvents(orphan.id);
    expect(events.map((e) => e.type)).toEqual(['recording.failed']);
    expect((events[0]!.payload as { data: unknown }).data).toMatchObject({
      recording: { id: orphan.id, room, reason: OWNER_GONE_REASON },
    });
  }, 20_000);

  test('the orphan sweep fails active recordings no instance holds and leaves held ones alone', async () => {
    const liveRoom = await seedRoom(db, 'rec-held');
    const host = await connectRaw(one.url, await tokenFor(one.env, liveRoom, 'hana', 'host'));
    await firstSync(host);
    // A live recording held by instance 1 (an empty room records black and silence).
    const recording = nextEvent(host, 'recording:state', (s) => s.state === 'recording', 15_000);
    const started = await request(host, 'recording:start', {});
    const liveId = (started as { data: { recordingId: string } }).data.recordingId;
    await recording;
    // And what a crash leaves: an active row of an instance that is gone.
    const orphanRoom = await seedRoom(db, 'rec-orphan');
    const orphanRoomRow = await db.room.findUniqueOrThrow({ where: { slug: orphanRoom } });
    const liveRoomRow = await db.room.findUniqueOrThrow({ where: { slug: liveRoom } });
    const orphan = await db.recording.create({
      data: {
        roomId: orphanRoomRow.id,
        state: 'recording',
        startedBy: 'hana',
        startedByName: 'Hana',
        ownerInstance: 'rec-vanished',
      },
    });
    await sleep(600);

    // Instance 2 sweeps: it holds neither; instance 1 answers that it holds the live one.
    const sweeper = {
      db,
      logger,
      recorder: recorderTwo,
      publish: () => undefined,
      instanceId: 'rec-two',
      askHeld: (id: string) => askRecordingHeld(two.server.io, id),
    };
    const roomIds = [liveRoomRow.id, orphanRoomRow.id];
    expect(await failOrphanedRecordings(sweeper, { activeGraceMs: 500, roomIds })).toBe(1);
    expect(await db.recording.findUniqueOrThrow({ where: { id: orphan.id } })).toMatchObject({
      state: 'failed',
      failureReason: OWNER_GONE_REASON,
    });
    expect((await db.recording.findUniqueOrThrow({ where: { id: liveId } })).state).toBe('recording');
    // A second sweeper finds nothing more to do.
    expect(await failOrphanedRecordings(sweeper, { activeGraceMs: 500, roomIds })).toBe(0);

    const idle = nextEvent(host, 'recording:state', (s) => s.state === 'idle', 20_000);
    expect(await request(host, 'recording:stop', {})).toMatchObject({ ok: true });
    await idle;
    host.close();
  }, 40_000);

  test('a room that disallows recording refuses a start (FORBIDDEN), and nothing is stored', async () => {
    const room = await seedRoom(db, 'rec-off');
    await db.room.update({ where: { slug: room }, data: { recordingAllowed: false } });
    const host = await connectRaw(one.url, await tokenFor(one.env, room, 'hana', 'host'));
    await firstSync(host);
    expect(await request(host, 'recording:start', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('disabled') },
    });
    host.close();
    expect(await db.recording.count({ where: { room: { slug: room } } })).toBe(0);
  });
});

describe('retention', () => {
  async function finishedRecording(room: string, endedDaysAgo: number) {
    const roomRow = await db.room.findUniqueOrThrow({ where: { slug: room } });
    const id = crypto.randomUUID();
    const filePath = join(dir, `${id}.webm`);
    await writeFile(filePath, Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 1, 2, 3]));
    const endedAt = new Date(Date.now() - endedDaysAgo * 86_400_000);
    await db.recording.create({
      data: {
        id,
        roomId: roomRow.id,
        state: 'ready',
        startedBy: 'hana',
        startedByName: 'Hana',
        filePath,
        sizeBytes: 7n,
        startedAt: new Date(endedAt.getTime() - 60_000),
        endedAt,
      },
    });
    return { id, filePath };
  }

  const exists = (path: string) =>
    stat(path).then(
      () => true,
      () => false,
    );

  test('the sweep deletes finished recordings older than the retention (file, then row), keeps the rest', async () => {
    const room = await seedRoom(db, 'rec-ret');
    const old = await finishedRecording(room, 10);
    const recent = await finishedRecording(room, 2);
    const roomRow = await db.room.findUniqueOrThrow({ where: { slug: room } });
    // An active recording is never swept, however old.
    const active = await db.recording.create({
      data: {
        roomId: roomRow.id,
        state: 'recording',
        startedBy: 'hana',
        startedByName: 'Hana',
        startedAt: new Date(Date.now() - 30 * 86_400_000),
      },
    });

    expect(await sweepExpiredRecordings(db, { retentionDays: 7, logger })).toBeGreaterThanOrEqual(1);
    expect(await exists(old.filePath)).toBe(false);
    expect(await db.recording.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await exists(recent.filePath)).toBe(true);
    expect(await db.recording.findUnique({ where: { id: recent.id } })).not.toBeNull();
    expect(await db.recording.findUnique({ where: { id: active.id } })).not.toBeNull();
    // Two instances sweeping the same thing: the second finds nothing left and fails on nothing.
    expect(await sweepExpiredRecordings(db, { retentionDays: 7, logger })).toBe(0);
    await db.recording.delete({ where: { id: active.id } });
  });

  test('the realtime server runs the sweep periodically when RECORDINGS_RETENTION_DAYS > 0', async () => {
    const room = await seedRoom(db, 'rec-ret-srv');
    const old = await finishedRecording(room, 40);
    const server = createRealtimeServer({
      env: testEnv({ RECORDINGS_RETENTION_DAYS: '30' }),
      db,
      logger,
      redisPrefix: uniqueName('rt-rec-ret'),
      recordingSweepMs: 100,
    });
    try {
      await eventually(
        async () => (await db.recording.findUnique({ where: { id: old.id } })) === null,
        10_000,
        'the expired recording to be swept',
      );
      expect(await exists(old.filePath)).toBe(false);
    } finally {
      await server.close();
    }
  });
});
