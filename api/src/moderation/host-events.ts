/**
 * Payloads of the in-room host controls (realtime events `moderation:*` and `lobby:*`).
 * Browser-safe: zod and types only. The realtime handlers turn them into `TModerationAction`s.
 */
import { z } from 'zod';
import type { TRole } from '../tokens/policy';

const ZIdentity = z.string().min(1).max(128);
const ROLE_NAMES = ['host', 'participant', 'viewer'] as const satisfies readonly TRole[];

/** Which of a participant's media to act on; neither given = the microphone. */
const ZMedia = {
  audio: z.literal(true).optional(),
  video: z.literal(true).optional(),
};

/** Mute someone's microphone and/or camera (never unmute: see `moderation:ask-unmute`). */
export const ZHostMute = z.object({ identity: ZIdentity, ...ZMedia }).strict();
export const ZHostMuteAll = z.object(ZMedia).strict();
export const ZHostAskUnmute = z.object({ identity: ZIdentity, ...ZMedia }).strict();
export const ZHostRemove = z.object({ identity: ZIdentity }).strict();
export const ZHostSetRole = z.object({ identity: ZIdentity, role: z.enum(ROLE_NAMES) }).strict();
export const ZHostLobby = z.object({ enabled: z.boolean() }).strict();
export const ZHostEmpty = z.object({}).strict();
/** One waiting identity, or everyone waiting. */
export const ZLobbyDecision = z.union([
  z.object({ identity: ZIdentity }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);

export interface TModeratorView {
  identity: string;
  name: string;
}

/** The room's access settings, on connect and on every change. */
export interface TRoomState {
  locked: boolean;
  lobbyEnabled: boolean;
}

export interface TLobbyEntry {
  identity: string;
  name: string;
  /** When they started waiting (ms since epoch). */
  since: number;
}

/** A waiting browser was let in: join LiveKit and the realtime service with this token. */
export interface TLobbyAdmission {
  token: string;
  expiresAt: string;
  identity: string;
  role: TRole;
}

export type THostActionResult = { kind: string; ok: true; count?: number };
