import { readJoinLink, type TJoinLink } from '@convene/api/rest/join-link';
import type { TApiResult, TJoinResponse, TLobbyResponse } from '@/lib/meeting/api-client';

export type { TJoinLink };

/**
 * Reads a join link (`/r/<room>#token=…[&skipPrejoin=1]`, made by the REST API) from the current
 * URL and removes the fragment from the address bar and history, so the token is not left
 * behind for copy-paste or a shared screen. Returns null when the URL carries none.
 */
export function takeJoinLinkFromLocation(): TJoinLink | null {
  if (typeof window === 'undefined') return null;
  const link = readJoinLink(window.location.hash);
  if (link)
    window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  return link;
}

/**
 * Exchanges a join-link token — or, to refresh, the session's current token — for a fresh join
 * token with the identity, name and role the integrator chose. The answer has the same shape as
 * the browser token API (a join token, or a lobby ticket to wait with when the link is for a
 * lobby room and a host has not let its bearer in yet).
 */
export async function redeemJoinLink(
  slug: string,
  token: string,
): Promise<TApiResult<TJoinResponse | TLobbyResponse>> {
  let response: Response;
  try {
    response = await fetch(`/api/rooms/${encodeURIComponent(slug)}/join-link`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
      cache: 'no-store',
    });
  } catch {
    return {
      ok: false,
      error: {
        status: 0,
        code: 'NETWORK',
        message: 'Could not reach the server. Check your connection and try again.',
      },
    };
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { code?: string; detail?: string };
    return {
      ok: false,
      error: {
        status: response.status,
        code: body.code ?? 'HTTP_ERROR',
        message: body.detail ?? 'This meeting link is invalid or has expired.',
      },
    };
  }
  return { ok: true, data: (await response.json()) as TJoinResponse | TLobbyResponse };
}
