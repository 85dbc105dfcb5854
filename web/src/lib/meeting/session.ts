import type { TJoinResponse } from './api-client';

/**
 * The current meeting session of this tab: who we are in which room, and the freshest join
 * token. The token is replaced before it expires (see `token-refresh.ts`), so anything that
 * needs it later — the realtime socket, a rejoin — reads it here instead of keeping a copy.
 */
export type TMeetingSession = TJoinResponse & {
  /** How the token was obtained, and so how it is refreshed: a join link is redeemed again. */
  source?: 'token-api' | 'join-link';
};

export type TSessionState = { status: 'none' } | { status: 'active'; session: TMeetingSession };

type TListener = (state: TSessionState) => void;

export interface TSessionStore {
  get(): TSessionState;
  /** The current token, or null outside a meeting. */
  token(): string | null;
  set(session: TMeetingSession): void;
  clear(): void;
  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: TListener): () => void;
}

const NONE: TSessionState = { status: 'none' };

export function createSessionStore(): TSessionStore {
  let state: TSessionState = NONE;
  const listeners = new Set<TListener>();
  const emit = () => {
    for (const listener of listeners) listener(state);
  };
  return {
    get: () => state,
    token: () => (state.status === 'active' ? state.session.token : null),
    set(session) {
      state = { status: 'active', session };
      emit();
    },
    clear() {
      if (state === NONE) return;
      state = NONE;
      emit();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** This tab's meeting session. React code reads it with `useMeetingSession()`. */
export const meetingSession: TSessionStore = createSessionStore();
