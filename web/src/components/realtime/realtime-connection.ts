import { meetingToken } from '@/lib/meeting/meeting-token';
import { meetingSession } from '@/lib/meeting/session';
import { createRealtimeClient, type TRealtimeClient } from '@/lib/realtime/client';

/**
 * The tab's one realtime connection, shared by the side panel and the toolbar extras (two slots
 * of the meeting layout with no common parent of ours). Created when the first component of a
 * joined room mounts, closed when the last one unmounts (leave, drop, navigation). Keyed by
 * room + identity, so a token refresh (same person, same room) keeps the connection.
 */
interface TEntry {
  key: string;
  client: TRealtimeClient;
  refs: number;
  closeTimer?: ReturnType<typeof setTimeout>;
  unwatch: () => void;
}

let current: TEntry | null = null;

export function realtimeKey(room: string, identity: string): string {
  return `${room}\n${identity}`;
}

/** Returns the connection for `key`, creating (and connecting) it if needed. Pair with `release`. */
export function acquireRealtimeClient(key: string): TRealtimeClient {
  if (current && current.key !== key) closeEntry(current);
  if (!current) {
    let realtimeUrl = activeRealtimeUrl() ?? '';
    const client = createRealtimeClient({
      // A refreshed session may name another realtime URL: read it before every attempt.
      url: () => {
        realtimeUrl = activeRealtimeUrl() ?? realtimeUrl;
        return realtimeUrl;
      },
      getToken: meetingToken,
    });
    client.connect();
    current = { key, client, refs: 0, unwatch: watchBrowserNetwork(client) };
  }
  clearTimeout(current.closeTimer);
  current.refs += 1;
  return current.client;
}

/** Drops one reference; the socket closes on the next tick when nothing holds it (survives remounts). */
export function releaseRealtimeClient(client: TRealtimeClient) {
  const entry = current;
  if (!entry || entry.client !== client) return;
  entry.refs -= 1;
  if (entry.refs > 0) return;
  clearTimeout(entry.closeTimer);
  entry.closeTimer = setTimeout(() => {
    if (current === entry && entry.refs === 0) closeEntry(entry);
  }, 0);
}

function activeRealtimeUrl(): string | null {
  const state = meetingSession.get();
  return state.status === 'active' ? state.session.realtimeUrl : null;
}

/**
 * Follows the browser's online/offline events. A WebSocket whose network vanished is not closed
 * by the browser; Socket.IO would only notice at the next missed ping (~45 s). Closing the
 * transport on `offline` shows "Chat reconnecting…" at once and queues new messages as pending;
 * on `online` we reconnect immediately instead of waiting out the backoff (up to 10 s).
 */
function watchBrowserNetwork(client: TRealtimeClient): () => void {
  const { socket } = client;
  const onOffline = () => socket.io.engine?.close();
  const onOnline = () => {
    if (socket.connected) return;
    // Drop the pending backoff timer and open a fresh connection (the token callback runs again).
    socket.disconnect();
    socket.connect();
  };
  window.addEventListener('offline', onOffline);
  window.addEventListener('online', onOnline);
  return () => {
    window.removeEventListener('offline', onOffline);
    window.removeEventListener('online', onOnline);
  };
}

function closeEntry(entry: TEntry) {
  entry.unwatch();
  clearTimeout(entry.closeTimer);
  entry.client.close();
  if (current === entry) current = null;
}
