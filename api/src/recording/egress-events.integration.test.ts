/**
 * Egress webhooks (recorded-shape fixtures) applied to real recording rows in the real database:
 * the path LiveKit's egress_* webhooks take through the web route, minus the HTTP.
 */
import { EgressStatus } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Db } from '../db/client';
import { createLogger } from '../logger';
import { seedRoom, testDb, testEnv, uniqueName } from '../realtime/testing';
import { applyEgressWebhook, type TEgressWebhookDeps } from './egress-events';
import { createEgressRecorder, type TEgressApi, type TEgressRecorderOptions } from './egress-recorder';
import { egressWebhookEvent, type TEgressFixture } from './fixtures/egress-webhooks';
import type { TRecordingState } from './schemas';

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(() => db?.$disconnect());

/** A recorded webhook for this test's egress and room. */
function fixture(name: TEgressFixture, egressId: string, room: string) {
  return egressWebhookEvent(name, { egressId, room });
}

function depsWithLog(): TEgressWebhookDeps & { published: [string, TRecordingState][] } {
  const published: [string, TRecordingState][] = [];
  return {
    db,
    logger: createLogger(testEnv().LOG_LEVEL, { service: 'egress-events-test' }),
    publish: (room, state) => published.push([room, state]),
    published,
  };
}

async function seedEgressRecording(state: string) {
  const room = await seedRoom(db, 'egress-wh');
  const { id: roomId } = await db.room.findUniqueOrThrow({ where: { slug: room }, select: { id: true } });
  const egressId = uniqueName('EG');
  const row = await db.recording.create({
    data: { roomId, state, startedBy: 'host', startedByName: 'Host', recorder: 'egress', egressId },
  });
  return { room, roomId, egressId, id: row.id };
}

/** Attendance as LiveKit's participant webhooks leave it. */
async function attend(roomId: string, identity: string, joinedAt: Date, leftAt: Date | null = null) {
  await db.attendance.create({
    data: {
      roomId,
      identity,
      displayName: `Name ${identity}`,
      role: 'participant',
      livekitParticipantSid: uniqueName('PA'),
      joinedAt,
      leftAt,
    },
  });
}

describe('applyEgressWebhook on real rows', () => {
  test('starting → recording → stopping → ready with size and duration; redeliveries change nothing', async () => {
    const { room, egressId, id } = await seedEgressRecording('starting');
    const deps = depsWithLog();
    const apply = async (name: TEgressFixture) =>
      applyEgressWebhook(deps, await fixture(name, egressId, room));

    expect(await apply('egress-started')).toBe('applied');
    expect((await db.recording.findUniqueOrThrow({ where: { id } })).state).toBe('recording');
    expect(await apply('egress-updated-active')).toBe('unchanged');
    expect(await apply('egress-updated-ending')).toBe('applied');
    expect((await db.recording.findUniqueOrThrow({ where: { id } })).state).toBe('stopping');
    expect(await apply('egress-ended-complete')).toBe('applied');

    const row = await db.recording.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({
      state: 'ready',
      filePath: '/out/recordings/weekly-sync-3f2b8c1e-9a4d-4e7b-8c21-5d6f7a8b9c0d.mp4',
      sizeBytes: 18_734_912n,
      durationSeconds: 93.37,
      failureReason: null,
    });
    expect(row.endedAt?.getTime()).toBe(1_764_290_096_173);
    expect(deps.published.map(([r, s]) => [r, s.state])).toEqual([
      [room, 'recording'],
      [room, 'stopping'],
      [room, 'idle'],
    ]);

    // LiveKit may deliver twice, and late: nothing moves, nothing is broadcast.
    for (const name of ['egress-ended-complete', 'egress-started', 'egress-updated-ending'] as const) {
      expect(await apply(name)).toBe('unchanged');
    }
    expect(deps.published).toHaveLength(3);
    expect(await db.recording.findUniqueOrThrow({ where: { id } })).toMatchObject({
      state: 'ready',
      sizeBytes: 18_734_912n,
    });
  });

  test('egress_ended COMPLETE straight from recording: stop then ready in one delivery', async () => {
    const { room, egressId, id } = await seedEgressRecording('recording');
    const deps = depsWithLog();
    expect(await applyEgressWebhook(deps, await fixture('egress-ended-complete', egressId, room))).toBe(
      'applied',
    );
    expect((await db.recording.findUniqueOrThrow({ where: { id } })).state).toBe('ready');
    expect(deps.published.map(([, s]) => s.state)).toEqual(['stopping', 'idle']);
  });

  test('ready lists who attended while it recorded: not the egress participant, not those gone before', async () => {
    const { room, roomId, egressId, id } = await seedEgressRecording('recording');
    // The window: the row's start to the fixture's egress end (1764290096173456789 ns).
    const end = new Date(1_764_290_096_173);
    const start = new Date(end.getTime() - 120_000);
    await db.recording.update({ where: { id }, data: { startedAt: start } });
    const at = (offsetMs: number) => new Date(start.getTime() + offsetMs);
    await attend(roomId, 'left-before', at(-60_000), at(-1_000));
    await attend(roomId, 'ada', at(-30_000), at(10_000));
    await attend(roomId, 'EG_xN3mQw8Rt2Vb', at(1_000));
    await attend(roomId, 'bob', at(5_000));
    await attend(roomId, 'ada', at(20_000)); // rejoined: listed once
    await attend(roomId, 'came-after', at(125_000));
    const event = await fixture('egress-ended-complete', egressId, room);
    expect(await applyEgressWebhook(depsWithLog(), event)).toBe('applied');
    expect((await db.recording.findUniqueOrThrow({ where: { id } })).participants).toEqual([
      { identity: 'ada', name: 'Name ada' },
      { identity: 'bob', name: 'Name bob' },
    ]);
  });

  test('a failed egress → failed with the egress error; a duplicate is harmless', async () => {
    const { room, egressId, id } = await seedEgressRecording('starting');
    const deps = depsWithLog();
    const event = await fixture('egress-ended-failed', egressId, room);
    expect(await applyEgressWebhook(deps, event)).toBe('applied');
    expect(await applyEgressWebhook(deps, event)).toBe('unchanged');
    expect(await db.recording.findUniqueOrThrow({ where: { id } })).toMatchObject({
      state: 'failed',
      failureReason: 'Start signal not received',
      filePath: null,
    });
    expect(deps.published).toEqual([
      [room, expect.objectContaining({ state: 'failed', reason: 'Start signal not received' })],
    ]);
  });

  test('an egress no recording holds is ignored', async () => {
    const deps = depsWithLog();
    const event = await fixture('egress-ended-complete', uniqueName('EG_unknown'), 'nowhere');
    expect(await applyEgressWebhook(deps, event)).toBe('ignored');
    expect(deps.published).toEqual([]);
  });

  test('a row that went ready without its file (stop gave up waiting) gets the file once', async () => {
    const { room, egressId, id } = await seedEgressRecording('ready');
    const deps = depsWithLog();
    expect(await applyEgressWebhook(deps, await fixture('egress-ended-complete', egressId, room))).toBe(
      'applied',
    );
    expect(await db.recording.findUniqueOrThrow({ where: { id } })).toMatchObject({
      state: 'ready',
      sizeBytes: 18_734_912n,
      durationSeconds: 93.37,
    });
    expect(await applyEgressWebhook(deps, await fixture('egress-ended-complete', egressId, room))).toBe(
      'unchanged',
    );
  });
});

describe('stop() lets the egress_ended webhook finalise', () => {
  /** The API answering as livekit-server does once a worker accepted the stop: status ENDING. */
  async function endingApi(egressId: string, room: string): Promise<TEgressApi & { stops: string[] }> {
    const ending = (await fixture('egress-updated-ending', egressId, room)).egressInfo!;
    const stops: string[] = [];
    return {
      stops,
      startRoomCompositeEgress: async () => ending,
      stopEgress: async (id: string) => {
        stops.push(id);
        return ending;
      },
      listEgress: async () => [ending],
    };
  }

  function recorderWith(api: TEgressApi, options: Partial<TEgressRecorderOptions> = {}) {
    const env = testEnv();
    return createEgressRecorder({
      livekitUrl: env.LIVEKIT_URL,
      keys: { apiKey: env.LIVEKIT_API_KEY, apiSecret: env.LIVEKIT_API_SECRET },
      output: { kind: 'file', dir: '/out/recordings' },
      db,
      logger: createLogger(env.LOG_LEVEL, { service: 'egress-stop-test' }),
      pollMs: 50,
      api,
      ...options,
    });
  }

  test('stop() resolves once the webhook made the row ready; the file comes from the webhook', async () => {
    const { room, egressId, id } = await seedEgressRecording('stopping');
    const api = await endingApi(egressId, room);
    const recorder = recorderWith(api);
    let resolved = false;
    const stopping = recorder.stop({ room, recordingId: id }).then((file) => {
      resolved = true;
      return file;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(api.stops).toEqual([egressId]);
    expect(resolved).toBe(false);
    const deps = depsWithLog();
    expect(await applyEgressWebhook(deps, await fixture('egress-ended-complete', egressId, room))).toBe(
      'applied',
    );
    // Nothing for the caller to store: its `stopped` transition will be refused as a duplicate.
    expect(await stopping).toEqual({});
    expect(await db.recording.findUniqueOrThrow({ where: { id } })).toMatchObject({
      state: 'ready',
      sizeBytes: 18_734_912n,
    });
  });

  test('without a webhook in time, stop() takes the final state from the API', async () => {
    const { room, egressId, id } = await seedEgressRecording('stopping');
    const api = await endingApi(egressId, room);
    const complete = (await fixture('egress-ended-complete', egressId, room)).egressInfo!;
    api.listEgress = async () => [complete];
    const recorder = recorderWith(api, { finaliseTimeoutMs: 300 });
    expect(complete.status).toBe(EgressStatus.EGRESS_COMPLETE);
    expect(await recorder.stop({ room, recordingId: id })).toEqual({
      filePath: '/out/recordings/weekly-sync-3f2b8c1e-9a4d-4e7b-8c21-5d6f7a8b9c0d.mp4',
      sizeBytes: 18_734_912n,
      durationSeconds: 93.37,
    });
  });

  test('reconcile finalises from the API what webhooks never reported, and fails what LiveKit forgot', async () => {
    const done = await seedEgressRecording('recording');
    const forgotten = await seedEgressRecording('stopping');
    const complete = (await fixture('egress-ended-complete', done.egressId, done.room)).egressInfo!;
    const api = await endingApi(done.egressId, done.room);
    api.listEgress = async (options?: { egressId?: string } | string) =>
      typeof options === 'object' && options.egressId === done.egressId ? [complete] : [];
    await db.$executeRaw`UPDATE "Recording" SET "updatedAt" = now() - interval '5 minutes' WHERE id IN (${done.id}::uuid, ${forgotten.id}::uuid)`;
    const published: string[] = [];
    const moved = await recorderWith(api).reconcile((_room, s) => published.push(s.state), {
      roomIds: [done.roomId, forgotten.roomId],
    });
    expect(moved).toBe(2);
    expect(await db.recording.findUniqueOrThrow({ where: { id: done.id } })).toMatchObject({
      state: 'ready',
      sizeBytes: 18_734_912n,
      durationSeconds: 93.37,
    });
    expect(await db.recording.findUniqueOrThrow({ where: { id: forgotten.id } })).toMatchObject({
      state: 'failed',
      failureReason: 'LiveKit Egress no longer knows this recording.',
    });
    expect(published.sort()).toEqual(['failed', 'idle', 'stopping']);
  });
});
