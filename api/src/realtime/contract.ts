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
import {
  type THostActionResult,
  type TLobbyAdmission,
  type TLobbyEntry,
  type TModeratorView,
  type TRoomState,
  ZHostAskUnmute,
  ZHostEmpty,
  ZHostLobby,
  ZHostMute,
  ZHostMuteAll,
  ZHostRemove,
  ZHostSetRole,
  ZLobbyDecision,
} from '../moderation/host-events';
import type { THandQueue, TParticipant, TPresenceSync, TPresenceUpdate } from '../presence/schemas';
import { ZTypingStart, ZTypingStop } from '../presence/schemas';
import { type TQualityReportResult, ZQualityReport } from '../quality/schemas';
import { type TReaction, ZReactionSend } from '../reactions/schemas';
import { type TRecordingState, ZRecordingStart, ZRecordingStop } from '../recording/schemas';

export type {
  ErrorCode,
  TChatMessage,
  TChatPage,
  THandQueue,
  THostActionResult,
  TLobbyAdmission,
  TLobbyEntry,
  TModeratorView,
  TParticipant,
  TPresenceSync,
  TPresenceUpdate,
  TQualityReportResult,
  TReaction,
  TRecordingState,
  TRoomState,
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
  /** Hosts only (else FORBIDDEN): mute a participant's microphone and/or camera; they are told who did it. */
  'moderation:mute': ZHostMute,
  /** Hosts only: mute everyone except hosts (default: microphones). */
  'moderation:mute-all': ZHostMuteAll,
  /** Hosts only: prompt a participant to unmute (nothing is unmuted remotely). */
  'moderation:ask-unmute': ZHostAskUnmute,
  /** Hosts only: remove from LiveKit and the realtime service; refused for the rest of the meeting. */
  'moderation:remove': ZHostRemove,
  /** Hosts only: lock the room (no new non-host joins; people inside stay). */
  'moderation:lock': ZHostEmpty,
  /** Hosts only: unlock the room. */
  'moderation:unlock': ZHostEmpty,
  /** Hosts only: turn the lobby on or off. */
  'moderation:lobby': ZHostLobby,
  /** Hosts only: end the meeting for everyone (`room:ended`, then everyone is disconnected). */
  'moderation:end': ZHostEmpty,
  /** Hosts only: change a participant's role, applied live (LiveKit permissions and realtime). */
  'moderation:set-role': ZHostSetRole,
  /** Hosts only: let one waiting person (or all) in; ack.count = how many. */
  'lobby:admit': ZLobbyDecision,
  /** Hosts only: turn one waiting person (or all) away; ack.count = how many. */
  'lobby:deny': ZLobbyDecision,
  /** The sender's own LiveKit connection quality (send on every change); ack.changed = it was stored. */
  'quality:report': ZQualityReport,
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
  'moderation:mute': THostActionResult;
  'moderation:mute-all': THostActionResult;
  'moderation:ask-unmute': THostActionResult;
  'moderation:remove': THostActionResult;
  'moderation:lock': THostActionResult;
  'moderation:unlock': THostActionResult;
  'moderation:lobby': THostActionResult;
  'moderation:end': THostActionResult;
  'moderation:set-role': THostActionResult;
  'lobby:admit': THostActionResult;
  'lobby:deny': THostActionResult;
  'quality:report': TQualityReportResult;
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
  /**
   * A presence change: joined / reconnecting / left / typing / hands / role. `role` (a host changed
   * someone's role) is sent only once the receiver's own instance applies the new permissions to
   * that participant's connections, so a client may act with the new role as soon as it sees it.
   */
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
  /** The room's lock and lobby settings: on connect and on every change. */
  'room:state': (state: TRoomState) => void;
  /** A host ended the meeting; the server disconnects everyone right after. */
  'room:ended': (payload: { by: TModeratorView }) => void;
  /** To the participant: a host muted their microphone and/or camera. */
  'moderation:muted': (payload: { by: TModeratorView; audio: boolean; video: boolean }) => void;
  /** To the participant: a host asks them to unmute (they decide). */
  'moderation:unmute-requested': (payload: { by: TModeratorView; audio: boolean; video: boolean }) => void;
  /** To the participant: a host removed them; the server disconnects them right after. */
  'moderation:removed': (payload: { by: TModeratorView }) => void;
  /**
   * To everyone: who changed a participant's role (for a notice). The role itself, for rosters and
   * permissions in the UI, follows `presence:update` kind `role`.
   */
  'moderation:role': (payload: { identity: string; role: TParticipant['role']; by: TModeratorView }) => void;
  /** To hosts: who is waiting in the lobby (on connect, on every knock, admission, denial, leave). */
  'lobby:update': (payload: { waiting: TLobbyEntry[] }) => void;
  /** To a waiting browser: let in; join with this token (no reload needed). */
  'lobby:admitted': (admission: TLobbyAdmission) => void;
  /** To a waiting browser: a host turned them away; the server disconnects them right after. */
  'lobby:denied': (payload: { by: TModeratorView }) => void;
}

export const SERVER_EVENT_NAMES = [
  'chat:message',
  'presence:sync',
  'presence:update',
  'reaction',
  'recording:state',
  'server:draining',
  'room:state',
  'room:ended',
  'moderation:muted',
  'moderation:unmute-requested',
  'moderation:removed',
  'moderation:role',
  'lobby:update',
  'lobby:admitted',
  'lobby:denied',
] as const satisfies readonly (keyof ServerToClientEvents)[];

export const CLIENT_EVENT_NAMES = Object.keys(CLIENT_EVENT_SCHEMAS) as TClientEventName[];

// Compile-time guard: both name lists cover their interfaces exactly.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const serverNamesExact: Exact<(typeof SERVER_EVENT_NAMES)[number], keyof ServerToClientEvents> = true;
const clientNamesExact: Exact<TClientEventName, keyof ClientEventResults> = true;
void serverNamesExact;
void clientNamesExact;

/** Between realtime instances (presence lives in Redis, broadcasts go through the adapter). */
export interface InterServerEvents {
  /**
   * A host changed `identity`'s role: every instance updates its own sockets of that identity, then
   * sends `presence:update` (kind `role`) to its own sockets of the room.
   */
  'moderation:apply-role': (payload: { room: string; identity: string; role: TParticipant['role'] }) => void;
  /**
   * A stop for a recording held by another instance's (process-bound) recorder: the instance that
   * holds it finishes it and acks true; the others ack false.
   */
  'recording:stop-owned': (
    payload: { room: string; recordingId: string },
    ack: (owned: boolean) => void,
  ) => void;
  /** Whether this instance's recorder holds the recording (the orphan sweep asks; nothing changes). */
  'recording:held': (payload: { recordingId: string }, ack: (held: boolean) => void) => void;
}

/** Errors a handshake can fail with, in `connect_error.data.code`. */
export const HANDSHAKE_ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'ROOM_NOT_FOUND',
  'ROOM_LOCKED',
] as const satisfies readonly ErrorCode[];

/** Socket.IO options both sides agree on. */
export const REALTIME_PATH = '/socket.io';
