import { AccessToken, TokenVerifier } from 'livekit-server-sdk';
import { z } from 'zod';
import { AppError } from '../errors';
import type { TLivekitKeys } from '../tokens/issue-join-token';

/** The roles a lobby can let in; hosts never wait. */
export const ZLobbyRole = z.enum(['participant', 'viewer']);
export type TLobbyRole = z.infer<typeof ZLobbyRole>;

/** How long someone may wait before their browser must ask again. */
export const LOBBY_TICKET_TTL_SECONDS = 30 * 60;

export interface TLobbyTicket {
  room: string;
  identity: string;
  name: string;
  /** The role the person gets when let in, unless a host decides otherwise. */
  role: TLobbyRole;
  expiresAt: number;
}

/**
 * A lobby ticket lets a browser wait in a room's lobby over the realtime link and nothing else.
 * It is signed like a LiveKit token but grants no `roomJoin` (LiveKit refuses it, and so does the
 * realtime server's normal handshake); `attributes.lobby` marks it for the lobby handshake, and
 * `attributes.role` says what the person becomes when let in (an integrator may mint a viewer's).
 * `ttlSeconds` is longer for integrators' join links, which may be sent ahead of the meeting.
 */
export async function issueLobbyTicket(
  keys: TLivekitKeys,
  input: { room: string; identity: string; name: string; role?: TLobbyRole; ttlSeconds?: number },
): Promise<{ ticket: string; expiresAt: string }> {
  const ttlSeconds = input.ttlSeconds ?? LOBBY_TICKET_TTL_SECONDS;
  const at = new AccessToken(keys.apiKey, keys.apiSecret, {
    identity: input.identity,
    name: input.name,
    ttl: ttlSeconds,
    attributes: { lobby: 'waiting', role: input.role ?? 'participant' },
  });
  at.addGrant({ room: input.room, roomJoin: false, canPublish: false, canSubscribe: false });
  return {
    ticket: await at.toJwt(),
    expiresAt: new Date(Date.now() + ttlSeconds * 1000).toISOString(),
  };
}

const ZLobbyClaims = z.object({
  sub: z.string().min(1),
  name: z.string().optional(),
  exp: z.number(),
  attributes: z
    .object({ lobby: z.literal('waiting'), role: ZLobbyRole.default('participant') })
    .passthrough(),
  video: z.object({ room: z.string().min(1), roomJoin: z.literal(false).optional() }).passthrough(),
});

export async function verifyLobbyTicket(keys: TLivekitKeys, ticket: string): Promise<TLobbyTicket> {
  let claims: unknown;
  try {
    claims = await new TokenVerifier(keys.apiKey, keys.apiSecret).verify(ticket);
  } catch {
    throw new AppError('UNAUTHENTICATED', 'The lobby ticket is invalid or expired.');
  }
  const parsed = ZLobbyClaims.safeParse(claims);
  if (!parsed.success) throw new AppError('UNAUTHENTICATED', 'This is not a lobby ticket.');
  const c = parsed.data;
  return {
    room: c.video.room,
    identity: c.sub,
    name: c.name || c.sub,
    role: c.attributes.role,
    expiresAt: c.exp,
  };
}
