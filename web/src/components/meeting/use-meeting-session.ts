'use client';

import { useSyncExternalStore } from 'react';
import { meetingSession, type TSessionState } from '@/lib/meeting/session';

const NONE: TSessionState = { status: 'none' };

/** The tab's meeting session (identity, role, freshest token); re-renders when the token is refreshed. */
export function useMeetingSession(): TSessionState {
  return useSyncExternalStore(meetingSession.subscribe, meetingSession.get, () => NONE);
}
