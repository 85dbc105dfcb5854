import type { TRole } from '@convene/api/tokens/policy';

/** What the token API answers (POST /api/rooms/<slug>/token). */
export interface TJoinResponse {
  token: string;
  expiresAt: string;
  room: string;
  identity: string;
  name: string;
  role: TRole;
  livekitUrl: string;
  realtimeUrl: string;
}

/** What the token API answers when the room has a lobby and this browser must wait. */
export interface TLobbyResponse {
  state: 'waiting';
  lobbyTicket: string;
  expiresAt: string;
  room: string;
  identity: string;
  name: string;
  livekitUrl: string;
  realtimeUrl: string;
}

export function isLobbyResponse(data: unknown): data is TLobbyResponse {
  return typeof data === 'object' && data !== null && (data as { state?: unknown }).state === 'waiting';
}

export interface TCreateRoomResponse {
  slug: string;
  url: string;
}

/** An API failure as the user should see it: our error code and the problem+json `detail`. */
export interface TApiError {
  status: number;
  code: string;
  message: string;
}

export type TApiResult<T> = { ok: true; data: T } | { ok: false; error: TApiError };

const NETWORK_ERROR: TApiError = {
  status: 0,
  code: 'NETWORK',
  message: 'Could not reach the server. Check your connection and try again.',
};

async function readProblem(response: Response): Promise<TApiError> {
  try {
    const body = (await response.json()) as { code?: string; detail?: string; title?: string };
    return {
      status: response.status,
      code: body.code ?? 'HTTP_ERROR',
      message: body.detail ?? body.title ?? `The server answered ${response.status}.`,
    };
  } catch {
    return {
      status: response.status,
      code: 'HTTP_ERROR',
      message: `The server answered ${response.status}.`,
    };
  }
}

async function postJson<T>(path: string, body: unknown, signal?: AbortSignal): Promise<TApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    return { ok: false, error: NETWORK_ERROR };
  }
  if (!response.ok) return { ok: false, error: await readProblem(response) };
  return { ok: true, data: (await response.json()) as T };
}

/** Creates a room with a generated name; this browser becomes its host. */
export function createRoom(): Promise<TApiResult<TCreateRoomResponse>> {
  return postJson('/api/rooms', {});
}

/** Issues or refreshes this browser's join token. The server decides the role from the session cookie. */
export function requestJoinToken(
  slug: string,
  name: string,
  signal?: AbortSignal,
): Promise<TApiResult<TJoinResponse>> {
  return postJson(`/api/rooms/${encodeURIComponent(slug)}/token`, { name }, signal);
}
