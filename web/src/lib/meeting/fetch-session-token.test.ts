import { afterEach, describe, expect, test, vi } from 'vitest';
import { fetchSessionToken } from './fetch-session-token';
import { meetingSession, type TMeetingSession } from './session';

const base: TMeetingSession = {
  token: 'current-token',
  expiresAt: new Date(Date.now() + 60_000).toISOString(),
  room: 'abc-defg-hij',
  identity: 'crm-1',
  name: 'Dana',
  role: 'host',
  livekitUrl: 'ws://lk',
  realtimeUrl: 'http://rt',
};

function answer(body: Partial<TMeetingSession>) {
  const calls: { url: string; body: unknown }[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, body: JSON.parse(String(init.body)) });
    return new Response(JSON.stringify({ ...base, ...body }), { status: 200 });
  });
  return calls;
}

afterEach(() => {
  vi.unstubAllGlobals();
  meetingSession.clear();
});

describe('fetchSessionToken', () => {
  test('a join-link session redeems its current token and stays a join-link session', async () => {
    meetingSession.set({ ...base, token: 'refreshed-once', source: 'join-link' });
    const calls = answer({ token: 'fresh' });
    const result = await fetchSessionToken({ room: base.room, name: base.name, source: 'join-link' });
    expect(calls).toEqual([{ url: `/api/rooms/${base.room}/join-link`, body: { token: 'refreshed-once' } }]);
    expect(result).toEqual({ ok: true, data: { ...base, token: 'fresh', source: 'join-link' } });
  });

  test('a browser session asks the token API with its name', async () => {
    meetingSession.set(base);
    const calls = answer({ token: 'fresh' });
    const result = await fetchSessionToken({ room: base.room, name: base.name });
    expect(calls).toEqual([{ url: `/api/rooms/${base.room}/token`, body: { name: 'Dana' } }]);
    expect(result.ok && result.data.token).toBe('fresh');
  });

  test('a join-link refresh outside a meeting fails without calling the server', async () => {
    const calls = answer({});
    const result = await fetchSessionToken({ room: base.room, name: base.name, source: 'join-link' });
    expect(result.ok).toBe(false);
    expect(calls).toEqual([]);
  });
});
