import { z } from 'zod';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import { assertMayEnter } from '../moderation/room-lock';
import { assertNotRemoved } from '../moderation/room-members';
import { getRoomOrThrow } from '../rooms/room-service';
import { issueJoinToken, type TLivekitKeys, verifyJoinToken } from '../tokens/issue-join-token';
import type { TRole } from '../tokens/policy';

export const ZRedeemJoinLink = z.strictObject({ token: z.string().min(1).max(8192) });

export interface TRedeemedJoin {
  token: string;
  expiresAt: string;
  room: string;
  identity: string;
  name: string;
  role: TRole;
}

/**
 * Exchanges a join-link token (minted by `POST /api/v1/rooms/{room}/tokens`) — or the current
 * token of such a session — for a fresh short-lived token with the same identity, name and role.
 * The page opened from a join link calls this first (a forged, expired or other-room token is
 * UNAUTHENTICATED) and again to refresh, so a long-lived link never becomes the session token.
 */
export async function redeemJoinLink(
  db: Db,
  keys: TLivekitKeys,
  input: { slug: string; token: string; ttlSeconds: number },
): Promise<TRedeemedJoin> {
  const claims = await verifyJoinToken(keys, input.token);
  if (claims.room !== input.slug) throw new AppError('UNAUTHENTICATED', 'This link is for another room.');
  const room = await getRoomOrThrow(db, input.slug);
  // The same host decisions as the browser token route: removed → FORBIDDEN, a role set during
  // the meeting wins over the link's, and a locked room only refreshes people already inside.
  const decision = await assertNotRemoved(db, room.id, claims.identity);
  const role = decision.role ?? claims.role;
  await assertMayEnter(db, room, claims.identity, role);
  const fresh = await issueJoinToken(keys, {
    room: room.slug,
    identity: claims.identity,
    name: claims.name,
    role,
    ttlSeconds: input.ttlSeconds,
  });
  return { ...fresh, room: room.slug, identity: claims.identity, name: claims.name, role };
}
