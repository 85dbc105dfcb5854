import type { TVerifiedJoin } from '../tokens/issue-join-token';
import type { TReaction, TReactionSend } from './schemas';

/** Reactions are ephemeral: validated (allowlist), rate-limited by the connection, broadcast, never stored. */
export function createReaction(
  join: TVerifiedJoin,
  input: TReactionSend,
  now: number = Date.now(),
): TReaction {
  return { identity: join.identity, name: join.name, emoji: input.emoji, at: now };
}
