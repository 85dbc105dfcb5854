import { type ParticipantInfo, RoomServiceClient, TrackSource, TrackType } from 'livekit-server-sdk';
import { AppError } from '../errors';
import type { TLivekitKeys } from '../tokens/issue-join-token';

/**
 * Server-side control of live rooms through LiveKit's RoomService API (list, remove, mute, end).
 * One place maps LiveKit's "not found" answers and outages to our error vocabulary.
 */
export interface TRoomAdmin {
  ensureRoom(options: {
    name: string;
    emptyTimeout: number;
    maxParticipants: number;
    metadata?: string;
  }): Promise<void>;
  deleteRoom(name: string): Promise<void>;
  listParticipants(room: string): Promise<ParticipantInfo[]>;
  removeParticipant(room: string, identity: string): Promise<void>;
  /** Mutes (or unmutes) the participant's published microphone and/or camera tracks. */
  muteParticipant(
    room: string,
    identity: string,
    change: { audio?: boolean; video?: boolean },
  ): Promise<ParticipantInfo>;
}

/** RoomService speaks HTTP; LIVEKIT_URL may be a ws(s) URL. */
export function livekitHttpUrl(url: string): string {
  return url.replace(/^ws(s?):\/\//, 'http$1://');
}

function isNotFound(error: unknown): boolean {
  const e = error as { status?: number; code?: string; message?: string } | null;
  return e?.status === 404 || e?.code === 'not_found' || /not.?found|does not exist/i.test(e?.message ?? '');
}

function isUnavailable(error: unknown): boolean {
  const e = error as { cause?: { code?: string }; code?: string; name?: string } | null;
  return (
    e?.name === 'TypeError' ||
    e?.cause?.code === 'ECONNREFUSED' ||
    e?.code === 'ECONNREFUSED' ||
    e?.name === 'AbortError' ||
    e?.name === 'TimeoutError'
  );
}

async function call<T>(fn: () => Promise<T>, notFound: AppError | null): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (notFound && isNotFound(error)) throw notFound;
    if (isUnavailable(error)) throw new AppError('UNAVAILABLE', 'The media server is unavailable.');
    throw error;
  }
}

export function createRoomAdmin(livekitUrl: string, keys: TLivekitKeys): TRoomAdmin {
  const client = new RoomServiceClient(livekitHttpUrl(livekitUrl), keys.apiKey, keys.apiSecret);
  const participantNotFound = () => new AppError('NOT_FOUND', 'No such participant in this room right now.');

  return {
    async ensureRoom(options) {
      await call(() => client.createRoom(options), null);
    },
    async deleteRoom(name) {
      try {
        await call(() => client.deleteRoom(name), new AppError('NOT_FOUND'));
      } catch (error) {
        // Not live in the SFU: nothing to end.
        if (error instanceof AppError && error.code === 'NOT_FOUND') return;
        throw error;
      }
    },
    async listParticipants(room) {
      try {
        return await call(() => client.listParticipants(room), new AppError('NOT_FOUND'));
      } catch (error) {
        if (error instanceof AppError && error.code === 'NOT_FOUND') return [];
        throw error;
      }
    },
    async removeParticipant(room, identity) {
      await call(() => client.removeParticipant(room, identity), participantNotFound());
    },
    async muteParticipant(room, identity, change) {
      const participant = await call(() => client.getParticipant(room, identity), participantNotFound());
      for (const track of participant.tracks) {
        const isAudio = track.type === TrackType.AUDIO && track.source !== TrackSource.SCREEN_SHARE_AUDIO;
        const isVideo = track.type === TrackType.VIDEO && track.source !== TrackSource.SCREEN_SHARE;
        const muted = isAudio ? change.audio : isVideo ? change.video : undefined;
        if (muted === undefined || track.muted === muted) continue;
        await call(() => client.mutePublishedTrack(room, identity, track.sid, muted), participantNotFound());
      }
      return call(() => client.getParticipant(room, identity), participantNotFound());
    },
  };
}
