'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';
import { useMeetingSession } from '@/components/meeting/use-meeting-session';
import { EMPTY_SNAPSHOT, type TRealtimeClient, type TRealtimeSnapshot } from '@/lib/realtime/client';
import { acquireRealtimeClient, realtimeKey, releaseRealtimeClient } from './realtime-connection';

export interface TRealtime {
  /** Null before the room is joined (and for the first render after). */
  client: TRealtimeClient | null;
  snapshot: TRealtimeSnapshot;
}

const noSubscribe = () => () => {};
const idleSnapshot = () => EMPTY_SNAPSHOT;

/**
 * The meeting's realtime state (chat, presence, hands, reactions, recording) and its client.
 * Every component calling it shares one connection, opened while a meeting session is active.
 */
export function useRealtime(): TRealtime {
  const state = useMeetingSession();
  const session = state.status === 'active' ? state.session : null;
  const key = session ? realtimeKey(session.room, session.identity) : null;
  const [client, setClient] = useState<TRealtimeClient | null>(null);

  useEffect(() => {
    if (!key) return;
    const acquired = acquireRealtimeClient(key);
    setClient(acquired);
    return () => {
      releaseRealtimeClient(acquired);
      setClient(null);
    };
  }, [key]);

  const snapshot = useSyncExternalStore(
    client ? client.subscribe : noSubscribe,
    client ? client.getSnapshot : idleSnapshot,
    idleSnapshot,
  );
  return { client, snapshot };
}
