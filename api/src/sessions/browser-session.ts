import { createHash, randomBytes } from 'node:crypto';

/** Name of the HTTP-only cookie holding a browser's opaque session id. */
export const BROWSER_SESSION_COOKIE = 'convene_sid';

export function newBrowserSessionId(): string {
  return randomBytes(24).toString('base64url');
}

export function isBrowserSessionId(value: string | undefined): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{32}$/.test(value);
}

/** Only this hash is stored: a database leak cannot impersonate a host. */
export function hashBrowserSession(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}
