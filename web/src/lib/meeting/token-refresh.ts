import type { TApiResult, TJoinResponse } from './api-client';
import type { TSessionStore } from './session';

/** Refresh this long before expiry at the latest… */
const REFRESH_LEAD_MS = 120_000;
/** …or after this share of the remaining lifetime, whichever comes first. */
const REFRESH_AT_FRACTION = 0.75;
const MIN_DELAY_MS = 1_000;
export const RETRY_DELAY_MS = 10_000;

/** How long to wait before refreshing a token that expires at `expiresAt`. */
export function refreshDelayMs(expiresAt: string, now: number): number {
  const remaining = Date.parse(expiresAt) - now;
  if (!Number.isFinite(remaining)) return MIN_DELAY_MS;
  const delay = Math.min(remaining - REFRESH_LEAD_MS, remaining * REFRESH_AT_FRACTION);
  return Math.max(MIN_DELAY_MS, Math.floor(delay));
}

export interface TTokenRefreshOptions {
  store: TSessionStore;
  /** Calls the token API again (same room, same display name). */
  fetchToken: () => Promise<TApiResult<TJoinResponse>>;
  onError?: (message: string) => void;
  now?: () => number;
}

/**
 * Keeps the session's token fresh by re-calling the token API before it expires. LiveKit also
 * refreshes the token of a connected participant over its signal channel, but that copy lives
 * inside livekit-client; ours is what the realtime link and a rejoin after a dropped connection
 * use. Failures retry every few seconds until the token has expired. Returns a stop function.
 */
export function startTokenRefresh({ store, fetchToken, onError, now = Date.now }: TTokenRefreshOptions) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const schedule = (delay: number) => {
    if (!stopped) timer = setTimeout(refresh, delay);
  };

  async function refresh() {
    const result = await fetchToken();
    if (stopped) return;
    const current = store.get();
    if (current.status !== 'active') return;
    if (result.ok) {
      store.set(result.data);
      schedule(refreshDelayMs(result.data.expiresAt, now()));
      return;
    }
    onError?.(result.error.message);
    if (Date.parse(current.session.expiresAt) > now()) schedule(RETRY_DELAY_MS);
  }

  const initial = store.get();
  if (initial.status === 'active') schedule(refreshDelayMs(initial.session.expiresAt, now()));
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** A token with less validity than this is refreshed before it is handed out. */
const MIN_VALIDITY_MS = 30_000;

/**
 * The session's token if it is valid for a while yet, otherwise a freshly issued one (stored
 * for everyone else too). For connections that authenticate with the join token on every
 * (re)connect, such as the realtime socket's `auth` callback.
 */
export async function getFreshToken(
  store: TSessionStore,
  fetchToken: (session: TJoinResponse) => Promise<TApiResult<TJoinResponse>>,
  now: () => number = Date.now,
): Promise<string> {
  const state = store.get();
  if (state.status !== 'active') throw new Error('Not in a meeting.');
  if (Date.parse(state.session.expiresAt) - now() > MIN_VALIDITY_MS) return state.session.token;
  const result = await fetchToken(state.session);
  if (!result.ok) throw new Error(result.error.message);
  if (store.get().status === 'active') store.set(result.data);
  return result.data.token;
}
