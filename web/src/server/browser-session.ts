import 'server-only';
import {
  BROWSER_SESSION_COOKIE,
  hashBrowserSession,
  isBrowserSessionId,
  newBrowserSessionId,
} from '@convene/api/sessions/browser-session';
import { cookies } from 'next/headers';
import { serverEnv } from '@/env';

/** The caller's browser session hash, creating the HTTP-only session cookie on first contact. */
export async function browserSessionHash(): Promise<string> {
  const jar = await cookies();
  let sessionId = jar.get(BROWSER_SESSION_COOKIE)?.value;
  if (!isBrowserSessionId(sessionId)) {
    sessionId = newBrowserSessionId();
    jar.set(BROWSER_SESSION_COOKIE, sessionId, {
      httpOnly: true,
      sameSite: 'lax',
      secure: serverEnv().SECURE_COOKIES,
      path: '/',
      maxAge: 60 * 60 * 24 * 30,
    });
  }
  return hashBrowserSession(sessionId);
}
