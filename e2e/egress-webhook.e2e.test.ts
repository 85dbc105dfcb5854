/**
 * LiveKit Egress webhooks through the real web route: signed the way livekit-server signs them
 * (a JWT from the API key whose `sha256` claim is the body's hash), applied to the recording row,
 * and broadcast to the room by the realtime server (the web process has no sockets).
 */
import { createHash } from 'node:crypto';
import { createDb } from '@convene/api/db/client';
import { egressWebhookBody, type TEgressFixture } from '@convene/api/recording/fixtures/egress-webhooks';
import type { TRecordingState } from '@convene/api/recording/schemas';
import { AccessToken } from 'livekit-server-sdk';
import { io, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, test } from 'vitest';
import { testEnv } from './support/env';
import { mintToken, uniqueRoom } from './support/tokens';

const db = createDb(testEnv.databaseUrl, { poolSize: 2 });
const sockets: Socket[] = [];
afterAll(async () => {
  for (const s of sockets) s.close();
  await db.$disconnect();
});

/** A recorded egress webhook body, re-targeted at this test's egress and room. */
function body(fixture: TEgressFixture, egressId: string, room: string): string {
  return egressWebhookBody(fixture, { egressId, room });
}

/** What livekit-server puts in Authorization: a JWT signed with the API secret over the body hash. */
async function sign(raw: string, secret = testEnv.livekitApiSecret): Promise<string> {
  const token = new AccessToken(testEnv.livekitApiKey, secret, { ttl: '5m' });
  token.sha256 = createHash('sha256').update(raw).digest('base64');
  return token.toJwt();
}

async function post(raw: string, authorization: string) {
  const response = await fetch(`${testEnv.webUrl}/api/livekit/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/webhook+json', authorization },
    body: raw,
  });
  return { status: response.status, body: (await response.json()) as { outcome?: string; code?: string } };
}

async function seed(state: string) {
  const room = uniqueRoom('egress-e2e');
  const { id: roomId } = await db.room.create({ data: { slug: room, displayName: room } });
  const egressId = `EG_${room}`;
  const { id } = await db.recording.create({
    data: { roomId, state, startedBy: 'host', startedByName: 'Host', recorder: 'egress', egressId },
  });
  return { room, egressId, id };
}

/** A participant's socket collecting every recording:state it is sent. */
async function watch(room: string): Promise<TRecordingState[]> {
  const socket = io(testEnv.realtimeUrl, {
    auth: { token: await mintToken(room, `watcher-${room}`) },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  sockets.push(socket);
  const states: TRecordingState[] = [];
  socket.on('recording:state', (s: TRecordingState) => states.push(s));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return states;
}

async function until(check: () => boolean, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('egress webhooks at /api/livekit/webhook', () => {
  test('started → recording, ended → ready with the file; the room hears each; a redelivery is a no-op', async () => {
    const { room, egressId, id } = await seed('starting');
    const states = await watch(room);

    const started = body('egress-started', egressId, room);
    expect(await post(started, await sign(started))).toEqual({ status: 200, body: { outcome: 'applied' } });
    await until(() => states.some((s) => s.state === 'recording'), 'recording broadcast');
    expect((await db.recording.findUniqueOrThrow({ where: { id } })).state).toBe('recording');

    const ended = body('egress-ended-complete', egressId, room);
    expect(await post(ended, await sign(ended))).toEqual({ status: 200, body: { outcome: 'applied' } });
    await until(() => states.at(-1)?.state === 'idle', 'idle broadcast');
    expect(await db.recording.findUniqueOrThrow({ where: { id } })).toMatchObject({
      state: 'ready',
      filePath: '/out/recordings/weekly-sync-3f2b8c1e-9a4d-4e7b-8c21-5d6f7a8b9c0d.mp4',
      sizeBytes: 18_734_912n,
      durationSeconds: 93.37,
    });

    const heard = states.length;
    expect(await post(ended, await sign(ended))).toEqual({ status: 200, body: { outcome: 'unchanged' } });
    await new Promise((r) => setTimeout(r, 300));
    expect(states).toHaveLength(heard);
  });

  test('a failed egress → failed with its error, shown to the room', async () => {
    const { room, egressId, id } = await seed('recording');
    const states = await watch(room);
    const failed = body('egress-ended-failed', egressId, room);
    expect(await post(failed, await sign(failed))).toEqual({ status: 200, body: { outcome: 'applied' } });
    await until(() => states.some((s) => s.state === 'failed'), 'failed broadcast');
    expect(states.find((s) => s.state === 'failed')).toMatchObject({ reason: 'Start signal not received' });
    expect(await db.recording.findUniqueOrThrow({ where: { id } })).toMatchObject({
      state: 'failed',
      failureReason: 'Start signal not received',
    });
  });

  test.each([
    ['signed with another secret', async (raw: string) => sign(raw, 'x'.repeat(40))],
    ['a signature over a different body', async () => sign('{"event":"egress_started"}')],
  ])('%s: 401 and the row does not move', async (_label, authorize) => {
    const { room, egressId, id } = await seed('starting');
    const raw = body('egress-ended-failed', egressId, room);
    const response = await post(raw, await authorize(raw));
    expect(response).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    expect((await db.recording.findUniqueOrThrow({ where: { id } })).state).toBe('starting');
  });
});
