import type { TRole } from '../tokens/policy';
import type { THandQueue, TParticipant } from './schemas';

/** What the store keeps about a participant besides their sockets. */
export interface TMemberInfo {
  identity: string;
  name: string;
  role: TRole;
  joinedAt: number;
}

/**
 * `joined`: first socket of someone absent. `resumed`: back within the grace period.
 * `another-tab`: they already had a live socket.
 */
export type TConnectOutcome = 'joined' | 'resumed' | 'another-tab';

export interface TLeft {
  room: string;
  identity: string;
  /** The new hand queue when the participant's hand was still raised, else null. */
  hands: THandQueue | null;
}

/**
 * Presence, typing and hand state of every room. Implementations: Redis (shared by all realtime
 * instances, with TTLs) or memory (single process, no REDIS_URL). Every operation is atomic in
 * the store, so two instances racing on one participant agree on a single outcome.
 */
export interface PresenceStore {
  connect(
    room: string,
    member: TMemberInfo,
    socketId: string,
  ): Promise<{ outcome: TConnectOutcome; member: TMemberInfo }>;
  /** Removes a socket; true when it was the participant's last one (they are now in grace until `graceUntil`). */
  disconnect(room: string, identity: string, socketId: string, graceUntil: number): Promise<boolean>;
  setTyping(room: string, identity: string, typingUntil: number | null): Promise<void>;
  /** Changes a present (or reconnecting) participant's role; false when they are not in the room. */
  setRole(room: string, identity: string, role: TRole): Promise<boolean>;
  list(room: string, now: number): Promise<TParticipant[]>;
  raiseHand(room: string, identity: string, at: number): Promise<THandQueue>;
  lowerHand(room: string, identity: string): Promise<{ hands: THandQueue; changed: boolean }>;
  listHands(room: string): Promise<THandQueue>;
  /** Finalises every grace period that ended before `now`; each participant is reported once across instances. */
  sweep(now: number): Promise<TLeft[]>;
  /** Ends a participant's presence now if they have no live socket (e.g. LiveKit says they left). */
  forceLeave(room: string, identity: string): Promise<TLeft | null>;
  close(): Promise<void>;
}
