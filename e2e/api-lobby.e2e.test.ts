// Integrators and the lobby: in a lobby room the REST API hands a participant or viewer a lobby
// ticket (nothing that joins the SFU) unless it says skipLobby; the ticket waits over the realtime
// link, a host admits it with the role the integrator chose. PATCH locked/lobbyEnabled is the same
// moderation action as a host's toggle: broadcast live, audited with the API key, lobby off lets
// waiting people in. Then the lobby joinUrl opened in Chromium waits and joins without a reload.
import { parseApiKey } from '@convene/api/apikeys/key-format';
import type { TLobbyAdmission, TLobbyEntry, TRoomState } from '@convene/api/realtime/contract';
import { verifyJoinToken } from '@convene/api/tokens/issue-join-token';
import { Room } from '@livekit/rtc-node';
import type { Browser } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiCall, db, eventually, newApiKey } from './support/api-client';
import { launchChromium, newMediaContext, saveScreenshot } from './support/browser';
import { testEnv } from './support/env';

const keys = { apiKey: testEnv.livekitApiKey, apiSecret: testEnv.livekitApiSecret };
let key: string;
let keyPrefix: string;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  key = await newApiKey();
  keyPrefix = parseApiKey(key)!.prefix;
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await db.$disconnect();
});

type TIssued = {
  state: 'joined' | 'waiting';
  token?: string;
  lobbyTicket?: string;
  joinUrl: string;
  livekitUrl: string;
  role: string;
};

async function lobbyRoom(displayName: string): Promise<string> {
  const created = await apiCall('POST', '/rooms', { key, body: { displayName, lobbyEnabled: true } });
  expect(created.status).toBe(201);
  const room = (created.body as { name: string }).name;
  cleanups.push(() => apiCall('DELETE', `/rooms/${room}`, { key }));
  return room;
}

async function issue(room: string, body: Record<string, unknown>): Promise<TIssued> {
  const res = await apiCall('POST', `/rooms/${room}/tokens`, { key, body });
  expect(res.status).toBe(201);
  return res.body as TIssued;
}

async function redeem(room: string, token: string) {
  const res = await fetch(`${testEnv.webUrl}/api/rooms/${room}/join-link`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

/** A realtime socket with `auth`; resolves once connected, rejects with the refusal's code. */
async function connect(auth: { token: string } | { lobbyTicket: string }): Promise<Socket> {
  const socket = io(testEnv.realtimeUrl, {
    auth,
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  cleanups.push(async () => socket.close());
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', (error) =>
      reject(new Error((error as { data?: { code?: string } }).data?.code ?? error.message)),
    );
  });
  return socket;
}

function next<T>(socket: Socket, event: string, accept: (payload: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within 10 s`)), 10_000);
    const listener = (payload: T) => {
      if (!accept(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}

const auditRows = (room: string, action: string) =>
  db.auditLog.findMany({ where: { roomSlug: room, action }, orderBy: { createdAt: 'asc' } });

describe('REST API and the lobby', () => {
  test('lobby tickets instead of tokens, admission with the chosen role, PATCH lock/lobby through moderation', async () => {
    const room = await lobbyRoom('API lobby');

    // Hosts never wait; skipLobby lets a participant straight in.
    const host = await issue(room, { identity: 'lms-teacher', name: 'Teacher', role: 'host' });
    expect(host).toMatchObject({ state: 'joined', role: 'host' });
    expect(typeof host.token).toBe('string');
    const vip = await issue(room, { identity: 'lms-vip', name: 'Vip', skipLobby: true });
    expect(vip).toMatchObject({ state: 'joined', role: 'participant' });
    expect(typeof vip.token).toBe('string');

    // A viewer waits: no token at all, and the ticket opens nothing in LiveKit.
    const viewer = await issue(room, { identity: 'lms-auditor', name: 'Auditor', role: 'viewer' });
    expect(viewer).toMatchObject({ state: 'waiting', role: 'viewer' });
    expect(viewer.token).toBeUndefined();
    const ticket = viewer.lobbyTicket!;
    expect(new URLSearchParams(new URL(viewer.joinUrl).hash.slice(1)).get('token')).toBe(ticket);
    const sneaky = new Room();
    await expect(
      sneaky.connect(viewer.livekitUrl, ticket, { autoSubscribe: false, dynacast: false }),
    ).rejects.toThrow();
    await sneaky.disconnect().catch(() => undefined);
    // The join-link page is told to wait, not given a token.
    const waiting = await redeem(room, ticket);
    expect(waiting.status).toBe(200);
    expect(waiting.body).toMatchObject({ state: 'waiting', lobbyTicket: ticket, identity: 'lms-auditor' });
    expect(waiting.body.token).toBeUndefined();

    // The host sees the knock and admits: the viewer gets a join token with role viewer.
    const hostSocket = await connect({ token: host.token! });
    const knocked = next<{ waiting: TLobbyEntry[] }>(hostSocket, 'lobby:update', (u) =>
      u.waiting.some((w) => w.identity === 'lms-auditor'),
    );
    const viewerSocket = await connect({ lobbyTicket: ticket });
    await knocked;
    const admitted = next<TLobbyAdmission>(viewerSocket, 'lobby:admitted');
    const ack = await hostSocket.timeout(10_000).emitWithAck('lobby:admit', { identity: 'lms-auditor' });
    expect(ack).toMatchObject({ ok: true });
    const admission = await admitted;
    expect(admission.role).toBe('viewer');
    expect((await verifyJoinToken(keys, admission.token)).role).toBe('viewer');
    // Admitted: the same link now redeems for a join token (viewer, not participant).
    const joined = await redeem(room, ticket);
    expect(joined.body).toMatchObject({ state: 'joined', role: 'viewer', identity: 'lms-auditor' });

    // PATCH locked: broadcast to the room, audited once with the API key; the same value again is a no-op.
    const pending = await issue(room, { identity: 'lms-late', name: 'Late' });
    expect(pending.state).toBe('waiting');
    const lockedState = next<TRoomState>(hostSocket, 'room:state', (s) => s.locked);
    const lock = await apiCall('PATCH', `/rooms/${room}`, { key, body: { locked: true } });
    expect(lock).toMatchObject({ status: 200, body: { locked: true, lobbyEnabled: true } });
    expect(await lockedState).toMatchObject({ locked: true, lobbyEnabled: true });
    expect((await apiCall('PATCH', `/rooms/${room}`, { key, body: { locked: true } })).status).toBe(200);
    const lockRows = await auditRows(room, 'room.lock');
    expect(lockRows).toHaveLength(1);
    expect(lockRows[0]).toMatchObject({ actorType: 'api_key', actorId: keyPrefix });
    // Locked: nobody new starts waiting either, with a ticket minted before the lock.
    await expect(connect({ lobbyTicket: pending.lobbyTicket! })).rejects.toThrow('ROOM_LOCKED');
    expect(
      (
        await apiCall('POST', `/rooms/${room}/tokens`, {
          key,
          body: { identity: 'lms-later', name: 'Later' },
        })
      ).status,
    ).toBe(423);

    // Unlock, let one wait, then PATCH the lobby off: the waiting participant is let in.
    expect((await apiCall('PATCH', `/rooms/${room}`, { key, body: { locked: false } })).status).toBe(200);
    const lateSocket = await connect({ lobbyTicket: pending.lobbyTicket! });
    const letIn = next<TLobbyAdmission>(lateSocket, 'lobby:admitted');
    const lobbyOff = await apiCall('PATCH', `/rooms/${room}`, {
      key,
      body: { lobbyEnabled: false, displayName: 'API lobby (open)' },
    });
    expect(lobbyOff).toMatchObject({
      status: 200,
      body: { lobbyEnabled: false, locked: false, displayName: 'API lobby (open)' },
    });
    expect((await letIn).role).toBe('participant');
    expect(await auditRows(room, 'room.lobby')).toEqual([
      expect.objectContaining({ actorType: 'api_key', actorId: keyPrefix, details: { lobbyEnabled: false } }),
    ]);
    expect(await auditRows(room, 'room.lock')).toHaveLength(2);
    // Lobby off: tokens again.
    expect(await issue(room, { identity: 'lms-after', name: 'After' })).toMatchObject({ state: 'joined' });
  });

  let browser: Browser | undefined;
  cleanups.push(async () => browser?.close());

  test('a lobby joinUrl opened in Chromium waits, and joins as Viewer without a reload once the host admits', async () => {
    const room = await lobbyRoom('API lobby in Chromium');
    const host = await issue(room, { identity: 'lms-host-2', name: 'Host', role: 'host' });
    const hostSocket = await connect({ token: host.token! });
    const viewer = await issue(room, {
      identity: 'lms-viewer-2',
      name: 'Quiet Viewer',
      role: 'viewer',
      skipPrejoin: true,
    });
    expect(viewer.state).toBe('waiting');
    const link = new URL(viewer.joinUrl);

    browser = await launchChromium();
    const context = await newMediaContext(browser);
    cleanups.push(() => context.close());
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const knocked = next<{ waiting: TLobbyEntry[] }>(hostSocket, 'lobby:update', (u) =>
      u.waiting.some((w) => w.identity === 'lms-viewer-2' && w.name === 'Quiet Viewer'),
    );
    await page.goto(new URL(`${link.pathname}${link.hash}`, testEnv.webUrl).toString());
    await page.locator('[data-testid="lobby-screen"][data-state="waiting"]').waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).hash).toBe('');
    await knocked;
    await saveScreenshot(page, 'api-lobby-link-waiting');

    const url = page.url();
    const ack = await hostSocket.timeout(10_000).emitWithAck('lobby:admit', { identity: 'lms-viewer-2' });
    expect(ack).toMatchObject({ ok: true });
    await page.getByTestId('my-role').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('my-role').textContent()).toBe('Viewer');
    expect(page.url()).toBe(url);
    const inRoom = await eventually(async () => {
      const res = await apiCall('GET', `/rooms/${room}/participants`, { key });
      const list = (res.body as { data: { identity: string; role: string | null }[] }).data;
      return list.find((p) => p.identity === 'lms-viewer-2') ?? null;
    });
    expect(inRoom.role).toBe('viewer');
    expect(errors).toEqual([]);
  });
});
