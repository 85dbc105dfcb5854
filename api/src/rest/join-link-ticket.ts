import { AccessToken, TokenVerifier } from 'livekit-server-sdk';
import { z } from 'zod';
import { AppError } from '../errors';
import type { TLivekitKeys } from '../tokens/issue-join-token';
import { type TRole, ZRole } from '../tokens/policy';

/**
 * The credential a REST join link carries in its fragment. Links may be sent hours ahead (they
 * live `ttlSeconds`, up to a day), so they must not be LiveKit tokens: a ticket is signed like one
 * but grants no `roomJoin` (LiveKit and the realtime handshake refuse it). The room page redeems
 * it (`redeemJoinLink`) for a short-lived join token, which is when removal, lock and role
 * decisions apply.
 */
export async function issueJoinLinkTicket(
  keys: TLivekitKeys,
  input: { room: string; identity: string; name: string; role: TRole; ttlSeconds: number },
): Promise<{ ticket: string; expiresAt: string }> {
  const at = new AccessToken(keys.apiKey, keys.apiSecret, {
    identity: input.identity,
    name: input.name,
    ttl: input.ttlSeconds,
    attributes: { joinLink: 'direct', role: input.role },
  });
  at.addGrant({ room: input.room, roomJoin: false, canPublish: false, canSubscribe: false });
  return {
    ticket: await at.toJwt(),
    expiresAt: new Date(Date.now() + input.ttlSeconds * 1000).toISOString(),
  };
}

const ZLinkClaims = z.object({
  sub: z.string().min(1),
  name: z.string().optional(),
  exp: z.number(),
  attributes: z.object({ joinLink: z.literal('direct'), role: ZRole }).passthrough(),
  video: z.object({ room: z.string().min(1), roomJoin: z.literal(false).optional() }).passthrough(),
});

export async function verifyJoinLinkTicket(
  keys: TLivekitKeys,
  ticket: string,
): Promise<{ room: string; identity: string; name: string; role: TRole; expiresAt: number }> {
  let claims: unknown;
  try {
    claims = await new TokenVerifier(keys.apiKey, keys.apiSecret).verify(ticket);
  } catch {
    throw new AppError('UNAUTHENTICATED', 'The join link is invalid or expired.');
  }
  const parsed = ZLinkClaims.safeParse(claims);
  if (!parsed.success) throw new AppError('UNAUTHENTICATED', 'This is not a join link.');
  const c = parsed.data;
  return {
    room: c.video.room,
    identity: c.sub,
    name: c.name || c.sub,
    role: c.attributes.role,
    expiresAt: c.exp,
  };
}
