import { redeemJoinLink } from '../join-link/join-link-client';
import { isLobbyResponse, requestJoinToken, type TApiResult } from './api-client';
import { meetingSession, type TMeetingSession } from './session';

/**
 * A fresh token for the session `session` belongs to. A browser session asks the token API again
 * (same room, same name); a session opened from a join link redeems its current token, so the
 * integrator's identity, name and role carry over and the link itself is never needed again.
 */
export async function fetchSessionToken(
  session: Pick<TMeetingSession, 'room' | 'name' | 'source'>,
): Promise<TApiResult<TMeetingSession>> {
  if (session.source !== 'join-link') return requestJoinToken(session.room, session.name);
  const current = meetingSession.token();
  if (!current) return { ok: false, error: { status: 0, code: 'NO_SESSION', message: 'Not in a meeting.' } };
  const result = await redeemJoinLink(session.room, current);
  if (!result.ok) return result;
  // The current token is a join token, which never answers "wait in the lobby".
  if (isLobbyResponse(result.data)) {
    return { ok: false, error: { status: 409, code: 'LOBBY', message: 'A host has to let you in again.' } };
  }
  return { ok: true, data: { ...result.data, source: 'join-link' } };
}
