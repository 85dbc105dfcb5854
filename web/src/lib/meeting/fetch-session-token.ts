import { redeemJoinLink } from '../join-link/join-link-client';
import { requestJoinToken, type TApiResult } from './api-client';
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
  return result.ok ? { ok: true, data: { ...result.data, source: 'join-link' } } : result;
}
