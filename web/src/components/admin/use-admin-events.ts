'use client';
import { useEffect, useRef, useState } from 'react';

export interface TFeedEvent {
  id: string;
  type: string;
  room: string | null;
  at: string;
  data: Record<string, unknown>;
}

export type TConnState = 'connecting' | 'open' | 'error';

const TYPES = [
  'room.started',
  'room.finished',
  'participant.joined',
  'participant.left',
  'moderation',
  'room.updated',
];

/**
 * Subscribes to /api/admin/events after `cursor` (null: wait). EventSource reconnects by itself
 * and sends Last-Event-ID, so the server replays what was missed.
 */
export function useAdminEvents(cursor: string | null, onEvent: (event: TFeedEvent) => void): TConnState {
  const [state, setState] = useState<TConnState>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    if (cursor === null) return;
    const source = new EventSource(`/api/admin/events?after=${encodeURIComponent(cursor)}`);
    const listener = (e: MessageEvent) => {
      try {
        handler.current(JSON.parse(e.data) as TFeedEvent);
      } catch {
        // a malformed frame is skipped, never fatal
      }
    };
    for (const type of TYPES) source.addEventListener(type, listener);
    source.onopen = () => setState('open');
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'error' : 'connecting');
    return () => source.close();
  }, [cursor]);
  return state;
}

export function ConnLabel(state: TConnState): string {
  return state === 'open' ? 'Live' : state === 'connecting' ? 'Connecting…' : 'Disconnected';
}
