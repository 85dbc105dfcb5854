import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { TApiResult, TJoinResponse } from './api-client';
import { createSessionStore } from './session';
import { getFreshToken, RETRY_DELAY_MS, refreshDelayMs, startTokenRefresh } from './token-refresh';

const NOW = Date.parse('2030-01-01T00:00:00Z');
const at = (ms: number) => new Date(NOW + ms).toISOString();

describe('refreshDelayMs', () => {
  test.each([
    ['10 min left: after 75%', 600_000, 450_000],
    ['5 min left: 2 min before expiry', 300_000, 180_000],
    ['2 min left: soon', 120_000, 1_000],
    ['already expired: soon', -5_000, 1_000],
  ])('%s', (_label, remaining, expected) => {
    expect(refreshDelayMs(at(remaining), NOW)).toBe(expected);
  });

  test('an unparsable expiry refreshes soon instead of never', () => {
    expect(refreshDelayMs('not a date', NOW)).toBe(1_000);
  });
});

function session(token: string, expiresInMs: number): TJoinResponse {
  return {
    token,
    expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
    room: 'team-sync',
    identity: 'p-1',
    name: 'Ada',
    role: 'host',
    livekitUrl: 'ws://127.0.0.1:7880',
    realtimeUrl: 'http://127.0.0.1:3001',
  };
}

describe('startTokenRefresh', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
  });
  afterEach(() => vi.useRealTimers());

  test('replaces the token before it expires, then keeps going', async () => {
    const store = createSessionStore();
    store.set(session('t0', 600_000));
    let n = 0;
    const fetchToken = vi.fn(
      async (): Promise<TApiResult<TJoinResponse>> => ({ ok: true, data: session(`t${++n}`, 600_000) }),
    );
    const stop = startTokenRefresh({ store, fetchToken });
    await vi.advanceTimersByTimeAsync(449_000);
    expect(store.token()).toBe('t0');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(store.token()).toBe('t1');
    await vi.advanceTimersByTimeAsync(450_000);
    expect(store.token()).toBe('t2');
    stop();
    await vi.advanceTimersByTimeAsync(1_000_000);
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  test('retries after a failure and reports it', async () => {
    const store = createSessionStore();
    store.set(session('t0', 600_000));
    const errors: string[] = [];
    const results: TApiResult<TJoinResponse>[] = [
      { ok: false, error: { status: 503, code: 'UNAVAILABLE', message: 'down' } },
      { ok: true, data: session('t1', 600_000) },
    ];
    const fetchToken = vi.fn(async () => results.shift()!);
    const stop = startTokenRefresh({ store, fetchToken, onError: (m) => errors.push(m) });
    await vi.advanceTimersByTimeAsync(450_000);
    expect(errors).toEqual(['down']);
    expect(store.token()).toBe('t0');
    await vi.advanceTimersByTimeAsync(RETRY_DELAY_MS);
    expect(store.token()).toBe('t1');
    stop();
  });

  test('does nothing once the session is cleared', async () => {
    const store = createSessionStore();
    store.set(session('t0', 600_000));
    const fetchToken = vi.fn(
      async (): Promise<TApiResult<TJoinResponse>> => ({ ok: true, data: session('t1', 600_000) }),
    );
    startTokenRefresh({ store, fetchToken });
    store.clear();
    await vi.advanceTimersByTimeAsync(450_000);
    expect(store.get()).toEqual({ status: 'none' });
  });
});

describe('getFreshToken', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
  });
  afterEach(() => vi.useRealTimers());

  test('hands out the stored token while it is valid for a while', async () => {
    const store = createSessionStore();
    store.set(session('t0', 300_000));
    const fetchToken = vi.fn();
    expect(await getFreshToken(store, fetchToken)).toBe('t0');
    expect(fetchToken).not.toHaveBeenCalled();
  });

  test('refreshes a token about to expire and stores it for everyone', async () => {
    const store = createSessionStore();
    store.set(session('t0', 10_000));
    const fetchToken = vi.fn(
      async (): Promise<TApiResult<TJoinResponse>> => ({ ok: true, data: session('t1', 600_000) }),
    );
    expect(await getFreshToken(store, fetchToken)).toBe('t1');
    expect(store.token()).toBe('t1');
  });

  test('fails outside a meeting or when the API refuses', async () => {
    const store = createSessionStore();
    await expect(getFreshToken(store, vi.fn())).rejects.toThrow('Not in a meeting.');
    store.set(session('t0', 0));
    await expect(
      getFreshToken(store, async () => ({
        ok: false,
        error: { status: 423, code: 'ROOM_LOCKED', message: 'This room is locked.' },
      })),
    ).rejects.toThrow('This room is locked.');
  });
});
