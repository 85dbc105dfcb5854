import { z } from 'zod';
import type { TRole } from '../tokens/policy';

/** Browser-safe presence types. */

/** A participant's connection state: `reconnecting` during the grace period after the last socket drops. */
export type TPresenceStatus = 'online' | 'reconnecting';

export interface TParticipant {
  identity: string;
  name: string;
  role: TRole;
  status: TPresenceStatus;
  /** Epoch ms the participant first joined this session. */
  joinedAt: number;
  /** Epoch ms until which the participant counts as typing; null when not typing. */
  typingUntil: number | null;
  /** Epoch ms when the grace period ends (only while reconnecting). */
  graceUntil: number | null;
}

export interface THandEntry {
  identity: string;
  /** Epoch ms; the queue is ordered by it. */
  raisedAt: number;
}
/** The ordered hand queue of a room, first raised first. */
export type THandQueue = THandEntry[];

export interface TSelf {
  identity: string;
  name: string;
  role: TRole;
  room: string;
}

/** Sent to a socket right after it connects: the whole room. */
export interface TPresenceSync {
  self: TSelf;
  participants: TParticipant[];
  hands: THandQueue;
}

/** An incremental presence change, broadcast to the room. */
export type TPresenceUpdate =
  | { kind: 'joined'; participant: TParticipant }
  | { kind: 'reconnecting'; identity: string; graceUntil: number }
  | { kind: 'left'; identity: string }
  | { kind: 'typing'; identity: string; typingUntil: number | null }
  | { kind: 'hands'; hands: THandQueue }
  /** This participant's role changed (a host, or a connection with a newer role); it is in force. */
  | { kind: 'role'; identity: string; role: TRole };

export const ZEmpty = z.object({}).strict();
export type TEmpty = z.infer<typeof ZEmpty>;

export const ZTypingStart = ZEmpty;
export const ZTypingStop = ZEmpty;

/** How long one `typing:start` counts; clients resend while the user keeps typing. */
export const TYPING_TTL_MS = 5000;
