import { z } from 'zod';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import { verifyLobbyTicket } from '../lobby/lobby-ticket';
import { assertMayEnter, isInMeeting } from '../moderation/room-lock';
import { assertNotRemoved } from '../moderation/room-members';
import { getRoomOrThrow } from '../rooms/room-service';
import {
  issueJoinToken,
  type TLivekitKeys,
  type TVerifiedJoin,
  verifyJoinToken,
} from '../tokens/issue-join-token';
import type { TRole } from '../tokens/policy';
import { verifyJoinLinkTicket } from './join-link-ticket';

export const ZRedeemJoinLink = z.strictObject({ token: z.string().min(1).max(8192) });

export interface TRedeemedJoin {
  state: 'joined';
  token: string;
  expiresAt: string;
  room: string;
  identity: string;
  name: string;
  role: TRole;
}

/** A lobby join link opened while the lobby still holds its bearer: wait with this ticket. */
export interface TRedeemedLobby {
  state: 'waiting';
  lobbyTicket: string;
  expiresAt: string;
  room: string;
  identity: string;
  name: string;
}

/**
 * Exchanges a join link's ticket (minted by `POST /api/v1/rooms/{room}/tokens`) — or the current
 * token of such a session — for a fresh short-lived token with the same identity, name and role.
 * The page opened from a join link calls this first (a forged, expired or other-room token is
 * UNAUTHENTICATED) and again to refresh, so a long-lived link never becomes the session token.
 * A link to a lobby room carries a lobby ticket instead: while the lobby is on and the bearer is
 * not let in, the answer is `waiting` (the page waits in the lobby); once admitted, or with the
 * lobby turned off, it is a join token with the ticket's role.
 */
export async function redeemJoinLink(
  db: Db,
  keys: TLivekitKeys,
  input: { slug: string; token: string; ttlSeconds: number },
): Promise<TRedeemedJoin | TRedeemedLobby> {
  const claims = await verifyLinkCredential(keys, input.token);
  if (claims.room !== input.slug) throw new AppError('UNAUTHENTICATED', 'This link is for another room.');
  const room = await getRoomOrThrow(db, input.slug);
  // The same host decisions as the browser token route: removed → FORBIDDEN, a role set during
  // the meeting wins over the link's, and a locked room only refreshes people already inside.
  const decision = await assertNotRemoved(db, room.id, claims.identity);
  const role = decision.role ?? claims.role;
  await assertMayEnter(db, room, claims.identity, role);
  if (
    claims.kind === 'lobby' &&
    room.lobbyEnabled &&
    role !== 'host' &&
    !decision.isAdmitted &&
    !(await isInMeeting(db, room.id, claims.identity))
  ) {
    return {
      state: 'waiting',
      lobbyTicket: input.token,
      expiresAt: new Date(claims.expiresAt * 1000).toISOString(),
      room: room.slug,
      identity: claims.identity,
      name: claims.name,
    };
  }
  const fresh = await issueJoinToken(keys, {
    room: room.slug,
    identity: claims.identity,
    name: claims.name,
    role,
    ttlSeconds: input.ttlSeconds,
  });
  return { state: 'joined', ...fresh, room: room.slug, identity: claims.identity, name: claims.name, role };
}

/** A join token (a refresh), a join-link ticket or a lobby ticket; the join token's error when none. */
async function verifyLinkCredential(
  keys: TLivekitKeys,
  credential: string,
): Promise<TVerifiedJoin & { kind: 'token' | 'link' | 'lobby' }> {
  try {
    return { kind: 'token', ...(await verifyJoinToken(keys, credential)) };
  } catch (error) {
    const link = await verifyJoinLinkTicket(keys, credential).catch(() => null);
    if (link) return { kind: 'link', ...link };
    const ticket = await verifyLobbyTicket(keys, credential).catch(() => null);
    if (!ticket) throw error;
    return { kind: 'lobby', ...ticket };
  }
}
