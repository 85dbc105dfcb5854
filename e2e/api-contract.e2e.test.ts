// Contract test: every REST API v1 operation is exercised against the running app and every
// response is validated against the OpenAPI document the app serves.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiCall, db, eventually, newApiKey, OpenApiContract } from './support/api-client';
import { joinBot, publishTone, type TBot } from './support/bots';
import { testEnv } from './support/env';
import { uniqueRoom } from './support/tokens';

let contract: OpenApiContract;
let key: string;
const receiver = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(204).end());
});
let receiverUrl: string;
const bots: TBot[] = [];

beforeAll(async () => {
  contract = await OpenApiContract.load();
  key = await newApiKey();
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  for (const bot of bots) await bot.disconnect().catch(() => undefined);
  receiver.close();
  await db.$disconnect();
});

async function call(method: string, template: string, path: string, body?: unknown) {
  const response = await apiCall(method, path, { key, body });
  contract.check(method, template, response);
  return response;
}

describe('REST API v1 contract', () => {
  test('the served document is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(contract.doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect((contract.doc as { openapi?: string }).openapi).toBe('3.1.0');
  });

  test('/api/docs renders every operation without external assets', async () => {
    const res = await fetch(`${testEnv.webUrl}/api/docs`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('/api/v1/rooms/{room}/tokens');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="https?:/);
  });

  test('rooms, tokens, participants, messages, sessions: every response matches the document', async () => {
    const name = uniqueRoom('contract');
    const created = await call('POST', '/rooms', '/rooms', {
      name,
      displayName: 'Contract room',
      maxParticipants: 10,
      emptyTimeoutSeconds: 120,
      lobbyEnabled: false,
      recordingAllowed: true,
      metadata: { crmId: 42 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name,
      displayName: 'Contract room',
      maxParticipants: 10,
      active: false,
    });

    const generated = await call('POST', '/rooms', '/rooms', {});
    expect(generated.status).toBe(201);
    expect((generated.body as { name: string }).name).toMatch(/^[a-z]+-[a-z]+-[a-z]+$/);

    const duplicate = await call('POST', '/rooms', '/rooms', { name });
    expect(duplicate.status).toBe(409);

    const page1 = await call('GET', '/rooms', '/rooms?limit=1');
    expect(page1.status).toBe(200);
    const cursor = (page1.body as { nextCursor: string }).nextCursor;
    expect(cursor).toBeTruthy();
    const page2 = await call('GET', '/rooms', `/rooms?limit=1&cursor=${cursor}`);
    expect((page2.body as { data: { id: string }[] }).data[0]!.id).not.toBe(
      (page1.body as { data: { id: string }[] }).data[0]!.id,
    );

    expect((await call('GET', '/rooms/{room}', `/rooms/${name}`)).status).toBe(200);
    expect((await call('GET', '/rooms/{room}', '/rooms/no-such-room-here')).status).toBe(404);
    const patched = await call('PATCH', '/rooms/{room}', `/rooms/${name}`, {
      lobbyEnabled: true,
      metadata: null,
    });
    expect(patched.body).toMatchObject({ lobbyEnabled: true, metadata: null });

    const token = await call('POST', '/rooms/{room}/tokens', `/rooms/${name}/tokens`, {
      identity: 'host-1',
      name: 'Host One',
      role: 'host',
    });
    expect(token.status).toBe(201);
    expect(token.body).toMatchObject({ room: name, identity: 'host-1', role: 'host' });

    // A bot publishing a microphone makes participants, mute, sessions meaningful.
    const bot = await joinBot(name, 'contract-bot');
    bots.push(bot);
    const tone = await publishTone(bot.room, 440);
    const listed = await eventually(async () => {
      const r = await call('GET', '/rooms/{room}/participants', `/rooms/${name}/participants`);
      const p = (r.body as { data: { identity: string; tracks: unknown[] }[] }).data.find(
        (x) => x.identity === 'contract-bot',
      );
      return p && p.tracks.length > 0 ? r : null;
    });
    expect(listed.status).toBe(200);

    const muted = await call(
      'POST',
      '/rooms/{room}/participants/{identity}/mute',
      `/rooms/${name}/participants/contract-bot/mute`,
      {
        audio: true,
      },
    );
    expect(muted.status).toBe(200);
    expect(
      (muted.body as { tracks: { kind: string; muted: boolean }[] }).tracks.filter((t) => t.kind === 'audio'),
    ).toEqual([expect.objectContaining({ muted: true })]);
    expect(
      (
        await call(
          'POST',
          '/rooms/{room}/participants/{identity}/mute',
          `/rooms/${name}/participants/nobody/mute`,
          { video: true },
        )
      ).status,
    ).toBe(404);

    // System messages go through the realtime server (stored with a per-room seq, broadcast live).
    for (const n of [1, 2, 3]) {
      const posted = await call('POST', '/rooms/{room}/messages', `/rooms/${name}/messages`, {
        text: `message ${n}`,
      });
      expect(posted.status).toBe(201);
      expect(posted.body).toMatchObject({ kind: 'system', text: `message ${n}`, seq: n });
    }
    const messages = await call('GET', '/rooms/{room}/messages', `/rooms/${name}/messages?limit=2`);
    expect(messages.body).toMatchObject({ data: [{ seq: 1 }, { seq: 2 }], nextCursor: 2 });
    const rest = await call('GET', '/rooms/{room}/messages', `/rooms/${name}/messages?after=2`);
    expect(rest.body).toMatchObject({
      data: [{ seq: 3, text: 'message 3', kind: 'system' }],
      nextCursor: null,
    });
    expect(
      (await call('POST', '/rooms/{room}/messages', '/rooms/no-such-room-here/messages', { text: 'x' }))
        .status,
    ).toBe(404);

    const sessions = await eventually(async () => {
      const r = await call('GET', '/rooms/{room}/sessions', `/rooms/${name}/sessions`);
      const data = (r.body as { data: { attendance: { identity: string }[] }[] }).data;
      return data[0]?.attendance.some((a) => a.identity === 'contract-bot') ? r : null;
    });
    expect(sessions.status).toBe(200);
    expect((await call('GET', '/rooms', '/rooms?active=true&limit=100')).body).toMatchObject({
      data: expect.arrayContaining([expect.objectContaining({ name, active: true })]),
    });

    expect(
      (
        await call(
          'DELETE',
          '/rooms/{room}/participants/{identity}',
          `/rooms/${name}/participants/contract-bot`,
        )
      ).status,
    ).toBe(204);
    // Removal goes through the moderation domain: the identity gets no new token for this
    // meeting, and the API key is the audited actor.
    const barred = await call('POST', '/rooms/{room}/tokens', `/rooms/${name}/tokens`, {
      identity: 'contract-bot',
      name: 'Bot again',
    });
    expect(barred.status).toBe(403);
    const audited = await db.auditLog.findMany({ where: { roomSlug: name, actorType: 'api_key' } });
    expect(audited.map((a) => a.target)).toEqual(expect.arrayContaining(['contract-bot']));
    expect(audited.length).toBeGreaterThanOrEqual(2);
    await tone.stop();
    expect((await call('DELETE', '/rooms/{room}', `/rooms/${name}`)).status).toBe(204);
    expect((await call('GET', '/rooms/{room}', `/rooms/${name}`)).status).toBe(404);
    expect((await call('DELETE', '/rooms/{room}', `/rooms/${name}`)).status).toBe(404);
  });

  test('webhooks: every response matches the document', async () => {
    const created = await call('POST', '/webhooks', '/webhooks', {
      url: receiverUrl,
      description: 'contract',
    });
    expect(created.status).toBe(201);
    const endpoint = created.body as { id: string; secret: string; eventTypes: string[] };
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect(endpoint.eventTypes).not.toContain('chat.message');
    const stored = await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(stored.secretCiphertext).not.toContain(endpoint.secret.slice(6));

    expect((await call('GET', '/webhooks', '/webhooks')).status).toBe(200);
    expect((await call('GET', '/webhooks/{id}', `/webhooks/${endpoint.id}`)).status).toBe(200);
    const updated = await call('PATCH', '/webhooks/{id}', `/webhooks/${endpoint.id}`, {
      eventTypes: ['room.started', 'chat.message'],
    });
    expect(updated.body).toMatchObject({ eventTypes: ['room.started', 'chat.message'] });
    const rotated = await call(
      'POST',
      '/webhooks/{id}/rotate-secret',
      `/webhooks/${endpoint.id}/rotate-secret`,
      {},
    );
    expect(rotated.status).toBe(200);
    const tested = await call('POST', '/webhooks/{id}/test', `/webhooks/${endpoint.id}/test`);
    expect(tested.status).toBe(202);
    const { deliveryId } = tested.body as { deliveryId: string };
    const log = await eventually(async () => {
      const r = await call('GET', '/webhooks/{id}/deliveries', `/webhooks/${endpoint.id}/deliveries`);
      const d = (r.body as { data: { id: string; status: string }[] }).data.find((x) => x.id === deliveryId);
      return d?.status === 'succeeded' ? r : null;
    });
    expect(log.status).toBe(200);
    const replay = await call(
      'POST',
      '/webhooks/{id}/deliveries/{deliveryId}/replay',
      `/webhooks/${endpoint.id}/deliveries/${deliveryId}/replay`,
    );
    expect(replay.status).toBe(202);
    expect(
      (await call('GET', '/webhooks/{id}', '/webhooks/00000000-0000-4000-8000-000000000000')).status,
    ).toBe(404);
    expect((await call('DELETE', '/webhooks/{id}', `/webhooks/${endpoint.id}`)).status).toBe(204);
    expect((await call('DELETE', '/webhooks/{id}', `/webhooks/${endpoint.id}`)).status).toBe(404);
  });

  test('recordings: every response matches the document', async () => {
    const room = uniqueRoom('contract-rec');
    expect((await call('POST', '/rooms', '/rooms', { name: room })).status).toBe(201);
    const started = await call('POST', '/rooms/{room}/recordings', `/rooms/${room}/recordings`);
    expect(started.status, started.text).toBe(201);
    const { id } = started.body as { id: string };
    expect((await call('POST', '/rooms/{room}/recordings', `/rooms/${room}/recordings`)).status).toBe(409);
    await eventually(
      async () =>
        ((await call('GET', '/recordings/{id}', `/recordings/${id}`)).body as { state: string }).state ===
        'recording',
      20_000,
      'recording',
    );
    expect((await call('POST', '/recordings/{id}/stop', `/recordings/${id}/stop`)).status).toBe(202);
    await eventually(
      async () =>
        ((await call('GET', '/recordings/{id}', `/recordings/${id}`)).body as { state: string }).state ===
        'ready',
      20_000,
      'ready',
    );
    expect((await call('GET', '/recordings', `/recordings?room=${room}&limit=5`)).status).toBe(200);
    const path = `/recordings/${id}/download`;
    expect((await call('GET', '/recordings/{id}/download', path)).status).toBe(200);
    const ranged = await apiCall('GET', path, { key, headers: { range: 'bytes=0-9' } });
    contract.check('GET', '/recordings/{id}/download', ranged);
    expect(ranged.status).toBe(206);
    const beyond = await apiCall('GET', path, { key, headers: { range: 'bytes=999999999-' } });
    contract.check('GET', '/recordings/{id}/download', beyond);
    expect(beyond.status).toBe(416);
    expect((await call('DELETE', '/recordings/{id}', `/recordings/${id}`)).status).toBe(204);
    expect((await call('GET', '/recordings/{id}', `/recordings/${id}`)).status).toBe(404);
  }, 60_000);

  test('every operation in the document was exercised with a success response', () => {
    const missing = contract
      .operationIds()
      .filter((id) => ![...(contract.covered.get(id) ?? [])].some((status) => status < 300));
    expect(missing).toEqual([]);
  });
});
