import { fetchSessionToken } from './fetch-session-token';
import { meetingSession } from './session';
import { getFreshToken } from './token-refresh';

/**
 * This tab's current join token, refreshed (token API or join link) when it is about to expire.
 * Use it wherever a connection authenticates with the token, e.g. the realtime client:
 * `createRealtimeClient({ url: session.realtimeUrl, getToken: meetingToken })`.
 */
export function meetingToken(): Promise<string> {
  return getFreshToken(meetingSession, fetchSessionToken);
}
