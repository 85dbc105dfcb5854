import { requestJoinToken } from './api-client';
import { meetingSession } from './session';
import { getFreshToken } from './token-refresh';

/**
 * This tab's current join token, refreshed through the token API when it is about to expire.
 * Use it wherever a connection authenticates with the token, e.g. the realtime client:
 * `createRealtimeClient({ url: session.realtimeUrl, getToken: meetingToken })`.
 */
export function meetingToken(): Promise<string> {
  return getFreshToken(meetingSession, (session) => requestJoinToken(session.room, session.name));
}
