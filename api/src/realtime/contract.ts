/**
 * The realtime event contract, shared by the server (`realtime/server.ts`) and the browser
 * (`web/src/lib/realtime`). Browser-safe: zod and types only, no node modules.
 *
 * Every client→server event is `(payload, ack)`; the payload is validated against
 * `CLIENT_EVENT_SCHEMAS` and the ack always receives a `TAckResult`. Events without
 * parameters take `{}`. Room, identity and role never travel in payloads: they come from
 * the verified LiveKit token given at the handshake (`auth: { token }`).
 *
 * docs/realtime-protocol.md documents this module; `contract.test.ts` keeps them in sync.
 */
import type { z } from 'zod';
import { type TChatMessage, type TChatPage, ZChatHistory, ZChatSend } from '../chat/schemas';
import type { ErrorCode } from '../errors';
import { ZHandLower, ZHandRaise } from '../hands/schemas';
import type { THandQueue, TParticipant, TPresenceSync, TPresenceUpdate } from '../presence/schemas';
import { ZTypingStart, ZTypingStop } from '../presence/schemas';
import { type TReaction, ZReactionSend } from '../reactions/schemas';
import { type TRecordingState, ZRecordingStart, ZRecordingStop } from '../recording/schemas';

export type {
  ErrorCode,
  TChatMessage,
  TChatPage,
  THandQueue,
  TParticipant,
  TPresenceSync,
  TPresenceUpdate,
  TReaction,
  TRecordingState,
};

/** The public error shape of acks and of `connect_error.data`. */
export interface TRealtimeError {
  code: ErrorCode;
  message: string;
}

/** Every ack is a result union: never a thrown error, never a bare value. */
export type TAckResult<T> = { ok: true; data: T } | { ok: false; error: TRealtimeError };
export type Ack<T> = (result: TAckResult<T>) => void;

/** Payload schemas of client→server events (the server validates with these). */
export const CLIENT_EVENT_SCHEMAS = {
  /** Store a chat message (idempotent by clientId) and broadcast it; ack = the stored message. */
  'chat:send': ZChatSend,
  /** A page of stored messages; ack = `{ messages (ascending seq), hasMore }`. */
  'chat:history': ZChatHistory,
  /** Mark yourself typing for TYPING_TTL_MS; resend while typing. */
  'typing:start': ZTypingStart,
  /** Stop typing now. */
  'typing:stop': ZTypingStop,
  /** Join the ordered hand queue (no-op if already in it); ack = the queue. */
  'hand:raise': ZHandRaise,
  /** Leave the queue, or (moderators) remove `identity` from it; ack = the queue. */
  'hand:lower': ZHandLower,
  /** Ephemeral emoji reaction from the allowlist; broadcast as `reaction`. */
  'reaction:send': ZReactionSend,
  /** Start recording (canRecord only, else FORBIDDEN); ack = the new state. */
  'recording:start': ZRecordingStart,
  /** Stop the active recording (canRecord only); ack = the new state. */
  'recording:stop': ZRecordingStop,
} as const;

export type TClientEventName = keyof typeof CLIENT_EVENT_SCHEMAS;

/** What each client→server event acknowledges with on success. */
export interface ClientEventResults {
  'chat:send': TChatMessage;
  'chat:history': TChatPage;
  'typing:start': { typingUntil: number };
  'typing:stop': { typingUntil: null };
  'hand:raise': THandQueue;
  'hand:lower': THandQueue;
  'reaction:send': TReaction;
  'recording:start': TRecordingState;
  'recording:stop': TRecordingState;
}

export type TClientPayload<E extends TClientEventName> = z.input<(typeof CLIENT_EVENT_SCHEMAS)[E]>;
export type TClientParsed<E extends TClientEventName> = z.output<(typeof CLIENT_EVENT_SCHEMAS)[E]>;

export type ClientToServerEvents = {
  [E in TClientEventName]: (payload: TClientPayload<E>, ack: Ack<ClientEventResults[E]>) => void;
};

export interface ServerToClientEvents {
  /** A stored chat message (user or system), to everyone in the room including the sender. */
  'chat:message': (message: TChatMessage) => void;
  /** To one socket right after it connects: self, everyone present, the hand queue. */
  'presence:sync': (sync: TPresenceSync) => void;
  /** A presence change: joined / reconnecting / left / typing / hands. */
  'presence:update': (update: TPresenceUpdate) => void;
  /** An ephemeral reaction. */
  reaction: (reaction: TReaction) => void;
  /** The room's recording state: on connect and on every transition. */
  'recording:state': (state: TRecordingState) => void;
  /**
   * This instance is shutting down. After `reconnectInMs` (random per client, spreading the wave)
   * the server closes the connection; Socket.IO then reconnects by itself through the load
   * balancer to a serving instance, and the client resumes from its last chat seq. Clients may
   * show "reconnecting" meanwhile; they need not act.
   */
  'server:draining': (payload: { reconnectInMs: number }) => void;
}

export const SERVER_EVENT_NAMES = [
  'chat:message',
  'presence:sync',
  'presence:update',
  'reaction',
  'recording:state',
  'server:draining',
] as const satisfies readonly (keyof ServerToClientEvents)[];

export const CLIENT_EVENT_NAMES = Object.keys(CLIENT_EVENT_SCHEMAS) as TClientEventName[];

// Compile-time guard: both name lists cover their interfaces exactly.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const serverNamesExact: Exact<(typeof SERVER_EVENT_NAMES)[number], keyof ServerToClientEvents> = true;
const clientNamesExact: Exact<TClientEventName, keyof ClientEventResults> = true;
void serverNamesExact;
void clientNamesExact;

/** Between realtime instances (unused so far: presence lives in Redis, broadcasts go through the adapter). */
// biome-ignore lint/complexity/noBannedTypes: Socket.IO wants an events map; none are defined yet.
export type InterServerEvents = {};

/** Errors a handshake can fail with, in `connect_error.data.code`. */
export const HANDSHAKE_ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'ROOM_NOT_FOUND',
] as const satisfies readonly ErrorCode[];

/** Socket.IO options both sides agree on. */
export const REALTIME_PATH = '/socket.io';
