import { type ParticipantInfo, ParticipantInfo_State, TrackSource, TrackType } from 'livekit-server-sdk';
import type { Db } from '../db/client';
import type { TRoomAdmin } from '../livekit/room-admin';
import type { Logger } from '../logger';
import type { THandQueue, TParticipant } from '../presence/schemas';
import { getQualityHistory } from '../quality/room-quality';
import { getRoomOrThrow } from '../rooms/room-service';
import { listAuditLog, type TAuditView } from './audit-log';

export interface TAdminTrack {
  sid: string;
  kind: 'audio' | 'video' | 'data';
  source: string;
  muted: boolean;
  simulcast: boolean;
  mimeType: string;
  /** Simulcast layers the publisher sends (video only), low → high. */
  layers: { quality: 'low' | 'medium' | 'high'; width: number; height: number; bitrate: number }[];
}

export interface TAdminParticipant {
  sid: string;
  identity: string;
  name: string;
  role: string | null;
  state: string;
  joinedAt: string | null;
  isPublisher: boolean;
  tracks: TAdminTrack[];
  /**
   * The realtime service's view of this identity: connected (`online`), in its grace period
   * (`reconnecting`), or no socket (`absent`); null when the realtime service could not be asked.
   */
  presence: TAdminPresence | null;
}

export interface TAdminPresence {
  status: 'online' | 'reconnecting' | 'absent';
  typing: boolean;
  /** 1-based place in the room's hand queue, or null. */
  handPosition: number | null;
}

/** What the realtime service reports for a room (api/src/realtime/internal-client.ts). */
export type TPresenceSource = (room: string) => Promise<{ participants: TParticipant[]; hands: THandQueue }>;

const SOURCES: Record<number, string> = {
  [TrackSource.CAMERA]: 'camera',
  [TrackSource.MICROPHONE]: 'microphone',
  [TrackSource.SCREEN_SHARE]: 'screen_share',
  [TrackSource.SCREEN_SHARE_AUDIO]: 'screen_share_audio',
};
/** livekit.VideoQuality (LOW=0, MEDIUM=1, HIGH=2); the server SDK does not re-export the enum. */
const QUALITIES: Record<number, 'low' | 'medium' | 'high'> = { 0: 'low', 1: 'medium', 2: 'high' };
const STATES: Record<number, string> = {
  [ParticipantInfo_State.JOINING]: 'joining',
  [ParticipantInfo_State.JOINED]: 'joined',
  [ParticipantInfo_State.ACTIVE]: 'active',
  [ParticipantInfo_State.DISCONNECTED]: 'disconnected',
};

export function toAdminParticipant(
  p: ParticipantInfo,
  presence: TAdminPresence | null = null,
): TAdminParticipant {
  const joinedAt = Number(p.joinedAt ?? 0);
  return {
    sid: p.sid,
    identity: p.identity,
    name: p.name || p.identity,
    role: p.attributes?.role ?? null,
    state: STATES[p.state] ?? 'joined',
    joinedAt: joinedAt > 0 ? new Date(joinedAt * 1000).toISOString() : null,
    isPublisher: p.isPublisher,
    tracks: p.tracks.map((t) => ({
      sid: t.sid,
      kind: t.type === TrackType.AUDIO ? 'audio' : t.type === TrackType.VIDEO ? 'video' : 'data',
      source: SOURCES[t.source] ?? 'unknown',
      muted: t.muted,
      simulcast: t.simulcast,
      mimeType: t.mimeType,
      layers: (t.layers ?? [])
        .map((l) => ({
          quality: QUALITIES[l.quality] ?? 'low',
          width: l.width,
          height: l.height,
          bitrate: l.bitrate,
        }))
        .sort((a, b) => a.width - b.width),
    })),
    presence,
  };
}

function presenceOf(
  identity: string,
  view: { participants: TParticipant[]; hands: THandQueue },
  now: number,
): TAdminPresence {
  const p = view.participants.find((x) => x.identity === identity);
  const place = view.hands.findIndex((h) => h.identity === identity);
  return {
    status: p ? p.status : 'absent',
    typing: p?.typingUntil != null && p.typingUntil > now,
    handPosition: place >= 0 ? place + 1 : null,
  };
}

export interface TRoomDetail {
  room: { slug: string; displayName: string; locked: boolean; maxParticipants: number; createdAt: string };
  live: boolean;
  participants: TAdminParticipant[];
  chat: { seq: number; kind: string; senderName: string; body: string; createdAt: string }[];
  audit: TAuditView[];
  /** False when the realtime service did not answer: participants' `presence` is then null. */
  presenceAvailable: boolean;
  /** Connection-quality changes per participant identity this meeting (last hour when not live), oldest first. */
  quality: Record<string, { quality: string; at: string }[]>;
}

/**
 * Everything the room page shows: LiveKit's live view joined with the realtime service's presence,
 * the chat tail and the room's audit log. The page still renders when the realtime service does
 * not answer (presence unknown).
 */
export async function getRoomDetail(
  deps: { db: Db; roomAdmin: TRoomAdmin; presence: TPresenceSource; logger: Logger },
  slug: string,
): Promise<TRoomDetail> {
  const { db, roomAdmin } = deps;
  const room = await getRoomOrThrow(db, slug);
  const [participants, realtime, chat, audit, liveMeeting] = await Promise.all([
    roomAdmin.listParticipants(room.slug),
    deps.presence(room.slug).catch((error: unknown) => {
      deps.logger.warn({ err: error, room: room.slug }, 'realtime presence unavailable');
      return null;
    }),
    db.chatMessage.findMany({ where: { roomId: room.id }, orderBy: { seq: 'desc' }, take: 30 }),
    listAuditLog(db, { room: room.slug, limit: 30 }),
    db.meeting.findFirst({
      where: { roomId: room.id, endedAt: null },
      select: { id: true, startedAt: true },
    }),
  ]);
  const quality = await getQualityHistory(
    db,
    room.slug,
    liveMeeting?.startedAt ?? new Date(Date.now() - 60 * 60 * 1000),
  );
  return {
    room: {
      slug: room.slug,
      displayName: room.displayName,
      locked: room.locked,
      maxParticipants: room.maxParticipants,
      createdAt: room.createdAt.toISOString(),
    },
    live: participants.length > 0 || liveMeeting !== null,
    participants: participants.map((p) =>
      toAdminParticipant(p, realtime ? presenceOf(p.identity, realtime, Date.now()) : null),
    ),
    presenceAvailable: realtime !== null,
    chat: chat.reverse().map((m) => ({
      seq: m.seq,
      kind: m.kind,
      senderName: m.senderName,
      body: m.body,
      createdAt: m.createdAt.toISOString(),
    })),
    audit,
    quality,
  };
}
