/**
 * Join links for integrators: `<PUBLIC_URL>/r/<room>#token=<ticket>[&skipPrejoin=1]`, where the
 * ticket is a join-link or lobby ticket (no LiveKit access of its own; see join-link-ticket.ts).
 * It travels in the fragment, which browsers never send to servers (no access logs, no Referer).
 * The room page reads it with `readJoinLink(location.hash)` (browser-safe, no imports).
 */
export function buildJoinUrl(publicUrl: string, room: string, token: string, skipPrejoin: boolean): string {
  const url = new URL(`/r/${encodeURIComponent(room)}`, publicUrl);
  const fragment = new URLSearchParams({ token });
  if (skipPrejoin) fragment.set('skipPrejoin', '1');
  url.hash = fragment.toString();
  return url.toString();
}

export interface TJoinLink {
  token: string;
  skipPrejoin: boolean;
}

/** Parses a join-link fragment (`location.hash`); null when it carries no token. */
export function readJoinLink(hash: string): TJoinLink | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const token = params.get('token');
  if (!token) return null;
  return { token, skipPrejoin: params.get('skipPrejoin') === '1' };
}
