/**
 * The Egress recorder against the real livekit-server of the test run. No egress worker can run
 * on this machine (GStreamer + Chrome), but livekit-server answers the Egress API itself: these
 * tests check that its refusals and its silence both end the recording as `failed`, with a reason
 * people can act on, within seconds — never a room stuck in `starting` or `stopping`.
 */
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Db } from '../db/client';
import { livekitHttpUrl } from '../livekit/room-admin';
import { createLogger } from '../logger';
import {
  connectRaw,
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
import { createEgressRecorder, type TEgressRecorder } from './egress-recorder';

const TIMEOUT_MS = 2000;

let db: Db;
let server: TTestInstance;
let rooms: RoomServiceClient;
let recorder: TEgressRecorder;

beforeAll(async () => {
  db = testDb();
  const env = testEnv();
  recorder = createEgressRecorder({
    livekitUrl: env.LIVEKIT_URL,
    keys: { apiKey: env.LIVEKIT_API_KEY, apiSecret: env.LIVEKIT_API_SECRET },
    output: { kind: 'file', dir: '/out/recordings' },
    db,
    logger: createLogger(env.LOG_LEVEL, { service: 'egress-test' }),
    requestTimeoutMs: TIMEOUT_MS,
  });
  server = await startInstance({ db, redisPrefix: uniqueName('rt-egress'), recorder });
  rooms = new RoomServiceClient(livekitHttpUrl(env.LIVEKIT_URL), env.LIVEKIT_API_KEY, env.LIVEKIT_API_SECRET);
});
afterAll(async () => {
  await server?.close();
  await db?.$disconnect();
});

async function hostIn(room: string) {
  return connectRaw(server.url, await tokenFor(server.env, room, `host-${room}`, 'host'));
}

describe('RECORDER=egress against livekit-server', () => {
  test("a start the server refuses ends `failed` with the server's reason, stored on the row", async () => {
    // Nobody joined LiveKit yet, so the LiveKit room does not exist: the server says so.
    const room = await seedRoom(db, 'egress-refused');
    const host = await hostIn(room);
    try {
      const failed = nextEvent(host, 'recording:state', (s) => s.state === 'failed', 5000);
      const started = Date.now();
      const ack = await request(host, 'recording:start', {});
      expect(ack).toMatchObject({ ok: true, data: { state: 'starting' } });
      const state = await failed;
      expect(Date.now() - started).toBeLessThan(3000);
      expect(state).toMatchObject({
        state: 'failed',
        reason: 'LiveKit Egress refused to start the recording: requested room does not exist',
      });
      const row = await db.recording.findFirstOrThrow({ where: { room: { slug: room } } });
      expect(row).toMatchObject({
        state: 'failed',
        recorder: 'egress',
        egressId: null,
        failureReason: 'LiveKit Egress refused to start the recording: requested room does not exist',
      });
    } finally {
      host.close();
    }
  });

  test('an egress nobody answers (room exists, no worker) fails at the request timeout, not after ~23 s', async () => {
    const room = await seedRoom(db, 'egress-silent');
    await rooms.createRoom({ name: room, emptyTimeout: 30 });
    const host = await hostIn(room);
    try {
      const failed = nextEvent(host, 'recording:state', (s) => s.state === 'failed', TIMEOUT_MS + 4000);
      const started = Date.now();
      expect(await request(host, 'recording:start', {})).toMatchObject({ ok: true });
      const state = await failed;
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
      expect(elapsed).toBeLessThan(TIMEOUT_MS + 3000);
      expect(state).toMatchObject({
        state: 'failed',
        reason: 'LiveKit Egress did not answer within 2 s (is an egress worker running?).',
      });
      // Failed means a new start is allowed again (and it fails the same way).
      const again = nextEvent(host, 'recording:state', (s) => s.state === 'failed', TIMEOUT_MS + 4000);
      expect(await request(host, 'recording:start', {})).toMatchObject({
        ok: true,
        data: { state: 'starting' },
      });
      expect(await again).toMatchObject({ reason: state.state === 'failed' ? state.reason : '' });
    } finally {
      host.close();
      await rooms.deleteRoom(room).catch(() => undefined);
    }
  });

  test('a stop the server cannot carry out ends `failed` with a reason instead of staying `stopping`', async () => {
    const room = await seedRoom(db, 'egress-stop');
    const { id: roomId } = await db.room.findUniqueOrThrow({ where: { slug: room }, select: { id: true } });
    // As if an egress had started: livekit-server knows no such egress (and has no worker).
    await db.recording.create({
      data: {
        roomId,
        state: 'recording',
        startedBy: 'host',
        startedByName: 'Host',
        recorder: 'egress',
        egressId: uniqueName('EG_test'),
      },
    });
    const host = await hostIn(room);
    try {
      const failed = nextEvent(host, 'recording:state', (s) => s.state === 'failed', TIMEOUT_MS + 6000);
      expect(await request(host, 'recording:stop', {})).toMatchObject({
        ok: true,
        data: { state: 'stopping' },
      });
      const state = await failed;
      expect(state.state === 'failed' && state.reason).toMatch(
        /^LiveKit Egress (refused to stop|did not answer)/,
      );
      const row = await db.recording.findFirstOrThrow({ where: { roomId } });
      expect(row.state).toBe('failed');
      expect(row.failureReason).toBe(state.state === 'failed' ? state.reason : null);
    } finally {
      host.close();
    }
  });

  test('reconcile: an API that cannot answer leaves rows alone; a start that never stored an egress id fails', async () => {
    const room = await seedRoom(db, 'egress-reconcile');
    const { id: roomId } = await db.room.findUniqueOrThrow({ where: { slug: room }, select: { id: true } });
    const base = { roomId, startedBy: 'host', startedByName: 'Host', recorder: 'egress' };
    // livekit-server without Redis answers "egress not connected": that is not "no such egress".
    const active = await db.recording.create({
      data: { ...base, state: 'recording', egressId: uniqueName('EG_reconcile') },
    });
    const orphan = await db.recording.create({ data: { ...base, state: 'starting' } });
    const recent = await db.recording.create({ data: { ...base, state: 'starting' } });
    await db.$executeRaw`UPDATE "Recording" SET "updatedAt" = now() - interval '5 minutes' WHERE id IN (${active.id}::uuid, ${orphan.id}::uuid)`;
    const published: string[] = [];
    expect(await recorder.reconcile((r, s) => published.push(`${r}:${s.state}`), { roomIds: [roomId] })).toBe(
      1,
    );
    const state = async (id: string) => (await db.recording.findUniqueOrThrow({ where: { id } })).state;
    expect(await state(active.id)).toBe('recording');
    expect(await state(recent.id)).toBe('starting');
    expect(await db.recording.findUniqueOrThrow({ where: { id: orphan.id } })).toMatchObject({
      state: 'failed',
      failureReason: 'LiveKit Egress never started this recording.',
    });
    expect(published).toEqual([`${room}:failed`]);
  });
});
