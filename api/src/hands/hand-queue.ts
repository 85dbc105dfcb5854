import { AppError } from '../errors';
import type { THandQueue } from '../presence/schemas';
import type { PresenceStore } from '../presence/store';
import type { TVerifiedJoin } from '../tokens/issue-join-token';
import { permissionsFor } from '../tokens/policy';
import type { THandLower } from './schemas';

/** Raises the caller's hand; the queue keeps the first raise time (raising twice keeps your place). */
export function raiseHand(
  store: PresenceStore,
  join: TVerifiedJoin,
  now: number = Date.now(),
): Promise<THandQueue> {
  return store.raiseHand(join.room, join.identity, now);
}

/** Lowers the caller's hand, or anyone's for a moderator (`canModerate`); others get FORBIDDEN. */
export async function lowerHand(
  store: PresenceStore,
  join: TVerifiedJoin,
  input: THandLower,
): Promise<{ hands: THandQueue; changed: boolean }> {
  const target = input.identity ?? join.identity;
  if (target !== join.identity && !permissionsFor(join.role).canModerate) {
    throw new AppError('FORBIDDEN', "Only hosts can lower someone else's hand.");
  }
  return store.lowerHand(join.room, target);
}
