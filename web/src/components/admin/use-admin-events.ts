'use client';
import { ADMIN_EVENT_TYPES } from '@convene/api/admin/event-types';
import { useEffect, useRef, useState } from 'react';

export interface TFeedEvent {
  id: string;
  type: string;
  room: string | null;
  at: string;
  data: Record<string, unknown>;
}

export type TConnState = 'connecting' | 'open' | 'error';

/**
 * Subscribes to /api/admin/events after `cursor` ('' = from now; null = wait). EventSource
 * reconnects by itself and sends Last-Event-ID, so the server replays what was missed. `onOpen`
 * runs on every (re)connection, for views that reload instead of replaying.
 */
export function useAdminEvents(
  cursor: string | null,
  onEvent: (event: TFeedEvent) => void,
  onOpen?: () => void,
): TConnState {
  const [state, setState] = useState<TConnState>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const openHandler = useRef(onOpen);
  openHandler.current = onOpen;
  useEffect(() => {
    if (cursor === null) return;
    const source = new EventSource(
      cursor === '' ? '/api/admin/events' : `/api/admin/events?after=${encodeURIComponent(cursor)}`,
    );
    const listener = (e: MessageEvent) => {
      try {
        handler.current(JSON.parse(e.data) as TFeedEvent);
      } catch {
        // a malformed frame is skipped, never fatal
      }
    };
    for (const type of ADMIN_EVENT_TYPES) source.addEventListener(type, listener);
    source.onopen = () => {
      setState('open');
      openHandler.current?.();
    };
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'error' : 'connecting');
    return () => source.close();
  }, [cursor]);
  return state;
}

export function ConnLabel(state: TConnState): string {
  return state === 'open' ? 'Live' : state === 'connecting' ? 'Connecting…' : 'Disconnected';
}
