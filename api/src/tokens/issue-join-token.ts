import { AccessToken, TokenVerifier } from 'livekit-server-sdk';
import { z } from 'zod';
import { AppError } from '../errors';
import { grantsForRecorder, grantsForRole, type TRole, ZRole } from './policy';

export interface TLivekitKeys {
  apiKey: string;
  apiSecret: string;
}

export interface TJoinTokenInput {
  room: string;
  identity: string;
  name: string;
  role: TRole;
  ttlSeconds: number;
}

export interface TJoinToken {
  token: string;
  expiresAt: string;
}

/** Mints a LiveKit access token; the role travels in attributes so every service reads it from the token. */
export async function issueJoinToken(keys: TLivekitKeys, input: TJoinTokenInput): Promise<TJoinToken> {
  const at = new AccessToken(keys.apiKey, keys.apiSecret, {
    identity: input.identity,
    name: input.name,
    ttl: input.ttlSeconds,
    attributes: { role: input.role },
    metadata: JSON.stringify({ role: input.role }),
  });
  at.addGrant(grantsForRole(input.role, input.room));
  const token = await at.toJwt();
  return { token, expiresAt: new Date(Date.now() + input.ttlSeconds * 1000).toISOString() };
}

/** Mints the embedded recorder's token (hidden, subscribe-only; see grantsForRecorder). */
export async function issueRecorderToken(
  keys: TLivekitKeys,
  room: string,
  identity: string,
): Promise<string> {
  const at = new AccessToken(keys.apiKey, keys.apiSecret, { identity, name: 'Recorder', ttl: '24h' });
  at.addGrant(grantsForRecorder(room));
  return at.toJwt();
}

const ZVerifiedClaims = z.object({
  sub: z.string().min(1),
  name: z.string().optional(),
  exp: z.number(),
  attributes: z.object({ role: ZRole }).passthrough(),
  video: z.object({ room: z.string().min(1), roomJoin: z.boolean().optional() }).passthrough(),
});

export interface TVerifiedJoin {
  room: string;
  identity: string;
  name: string;
  role: TRole;
  expiresAt: number;
}

/**
 * Verifies a LiveKit access token issued by us and extracts room, identity and role.
 * Anything forged, expired or lacking a room grant is UNAUTHENTICATED.
 */
export async function verifyJoinToken(keys: TLivekitKeys, token: string): Promise<TVerifiedJoin> {
  let claims: unknown;
  try {
    claims = await new TokenVerifier(keys.apiKey, keys.apiSecret).verify(token);
  } catch {
    throw new AppError('UNAUTHENTICATED', 'The access token is invalid or expired.');
  }
  const parsed = ZVerifiedClaims.safeParse(claims);
  if (!parsed.success || parsed.data.video.roomJoin !== true) {
    throw new AppError('UNAUTHENTICATED', 'The access token does not grant a room.');
  }
  const c = parsed.data;
  return {
    room: c.video.room,
    identity: c.sub,
    name: c.name || c.sub,
    role: c.attributes.role,
    expiresAt: c.exp,
  };
}
