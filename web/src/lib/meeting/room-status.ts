/**
 * The pre-join page's view of a room before joining (GET /api/rooms/<slug>/status), polled so a
 * recording that starts while someone waits on pre-join is shown before they publish anything.
 * Framework-free: the React notice subscribes to `pollRoomStatus`.
 */
export interface TRoomStatus {
  exists: boolean;
  recording: boolean;
  locked: boolean;
  lobby: boolean;
}

/** Fast enough that a recording started meanwhile shows within a few seconds; one cheap GET. */
export const ROOM_STATUS_POLL_MS = 2_000;

export async function fetchRoomStatus(slug: string, signal?: AbortSignal): Promise<TRoomStatus | null> {
  try {
    const response = await fetch(`/api/rooms/${encodeURIComponent(slug)}/status`, {
      cache: 'no-store',
      credentials: 'same-origin',
      signal,
    });
    if (!response.ok) return null;
    return (await response.json()) as TRoomStatus;
  } catch {
    return null;
  }
}

export interface TPollOptions {
  intervalMs?: number;
  fetchStatus?: (slug: string, signal: AbortSignal) => Promise<TRoomStatus | null>;
}

/**
 * Fetches at once, then every `intervalMs` after the previous answer (never two in flight).
 * A failed fetch keeps the last known status: a network blip must not hide a recording notice.
 * Returns a stop function that also aborts the request in flight.
 */
export function pollRoomStatus(
  slug: string,
  onStatus: (status: TRoomStatus) => void,
  { intervalMs = ROOM_STATUS_POLL_MS, fetchStatus = fetchRoomStatus }: TPollOptions = {},
): () => void {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let isStopped = false;
  const tick = async () => {
    const status = await fetchStatus(slug, controller.signal);
    if (isStopped) return;
    if (status) onStatus(status);
    timer = setTimeout(() => void tick(), intervalMs);
  };
  void tick();
  return () => {
    isStopped = true;
    clearTimeout(timer);
    controller.abort();
  };
}
