import { issueJoinToken } from '@convene/api/tokens/issue-join-token';
import type { TRole } from '@convene/api/tokens/policy';
import { testEnv } from './env';

/** Mints a token with the platform's keys, through the same domain policy the app uses. */
export async function mintToken(
  room: string,
  identity: string,
  role: TRole = 'participant',
  name = identity,
): Promise<string> {
  const keys = { apiKey: testEnv.livekitApiKey, apiSecret: testEnv.livekitApiSecret };
  return (await issueJoinToken(keys, { room, identity, name, role, ttlSeconds: 600 })).token;
}

export function uniqueRoom(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}
