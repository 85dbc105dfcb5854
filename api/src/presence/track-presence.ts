import type { TVerifiedJoin } from '../tokens/issue-join-token';
import { type TParticipant, type TPresenceSync, type TPresenceUpdate, TYPING_TTL_MS } from './schemas';
import type { PresenceStore, TLeft } from './store';

/** Registers a socket; returns the update to broadcast (null for another tab) and the sync for the socket. */
export async function connectParticipant(
  store: PresenceStore,
  join: TVerifiedJoin,
  socketId: string,
  now: number = Date.now(),
): Promise<{ update: TPresenceUpdate | null; sync: TPresenceSync }> {
  const { outcome, member } = await store.connect(
    join.room,
    { identity: join.identity, name: join.name, role: join.role, joinedAt: now },
    socketId,
  );
  // The handshake verified this role just now (a host's change wins over the token), so it
  // replaces whatever an earlier connection stored, e.g. a change the realtime service missed.
  const roleChanged = member.role !== join.role;
  if (roleChanged) await store.setRole(join.room, join.identity, join.role);
  const [participants, hands] = await Promise.all([store.list(join.room, now), store.listHands(join.room)]);
  const self = participants.find((p) => p.identity === join.identity);
  const participant: TParticipant = self ?? {
    ...member,
    role: join.role,
    status: 'online',
    typingUntil: null,
    graceUntil: null,
  };
  return {
    update:
      outcome !== 'another-tab'
        ? { kind: 'joined', participant }
        : roleChanged
          ? { kind: 'role', identity: join.identity, role: join.role }
          : null,
    sync: {
      self: { identity: join.identity, name: join.name, role: join.role, room: join.room },
      participants,
      hands,
    },
  };
}

/** Unregisters a socket; when it was the last one the participant is `reconnecting` for the grace period. */
export async function disconnectParticipant(
  store: PresenceStore,
  join: TVerifiedJoin,
  socketId: string,
  graceMs: number,
  now: number = Date.now(),
): Promise<TPresenceUpdate | null> {
  const graceUntil = now + graceMs;
  const isLast = await store.disconnect(join.room, join.identity, socketId, graceUntil);
  return isLast ? { kind: 'reconnecting', identity: join.identity, graceUntil } : null;
}

/** Marks typing for TYPING_TTL_MS (or stops it). */
export async function setTyping(
  store: PresenceStore,
  join: TVerifiedJoin,
  isTyping: boolean,
  now: number = Date.now(),
): Promise<TPresenceUpdate & { kind: 'typing' }> {
  const typingUntil = isTyping ? now + TYPING_TTL_MS : null;
  await store.setTyping(join.room, join.identity, typingUntil);
  return { kind: 'typing', identity: join.identity, typingUntil };
}

/** The updates that end of grace periods produce: `left`, then the hand queue if it changed. */
export function updatesForLeft(left: TLeft): TPresenceUpdate[] {
  const updates: TPresenceUpdate[] = [{ kind: 'left', identity: left.identity }];
  if (left.hands) updates.push({ kind: 'hands', hands: left.hands });
  return updates;
}

/**
 * Reconciles with LiveKit: the web app's webhook route calls this on `participant_left` so a
 * participant whose chat socket is already gone leaves at once instead of after the grace period.
 * A participant who still has a live socket is left alone. Returns the updates to broadcast.
 */
export async function markParticipantLeftFromLivekit(
  store: PresenceStore,
  room: string,
  identity: string,
): Promise<TPresenceUpdate[]> {
  const left = await store.forceLeave(room, identity);
  return left ? updatesForLeft(left) : [];
}
