import { type ParticipantInfo, RoomServiceClient } from 'livekit-server-sdk';
import { AppError } from '../errors';
import { livekitHttpUrl } from '../livekit/room-admin';
import type { TLivekitKeys } from '../tokens/issue-join-token';
import { grantsForRole, type TRole } from '../tokens/policy';

/**
 * The RoomService calls moderation needs beyond `TRoomAdmin` (per-track mute, permission update).
 * Errors map like room-admin's: LiveKit "not found" → NOT_FOUND, connection failures → UNAVAILABLE.
 */
export interface TModerationControls {
  muteTrack(room: string, identity: string, trackSid: string, muted: boolean): Promise<void>;
  setRole(room: string, identity: string, role: TRole): Promise<ParticipantInfo>;
}

async function mapErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const e = error as {
      status?: number;
      code?: string;
      message?: string;
      name?: string;
      cause?: { code?: string };
    };
    if (e?.status === 404 || e?.code === 'not_found' || /not.?found|does not exist/i.test(e?.message ?? '')) {
      throw new AppError('NOT_FOUND', 'No such participant or track in this room right now.');
    }
    if (e?.name === 'TypeError' || e?.cause?.code === 'ECONNREFUSED' || e?.name === 'AbortError') {
      throw new AppError('UNAVAILABLE', 'The media server is unavailable.');
    }
    throw error;
  }
}

export function createModerationControls(livekitUrl: string, keys: TLivekitKeys): TModerationControls {
  const client = new RoomServiceClient(livekitHttpUrl(livekitUrl), keys.apiKey, keys.apiSecret);
  return {
    async muteTrack(room, identity, trackSid, muted) {
      await mapErrors(() => client.mutePublishedTrack(room, identity, trackSid, muted));
    },
    setRole(room, identity, role) {
      const grant = grantsForRole(role, room);
      return mapErrors(() =>
        client.updateParticipant(room, identity, {
          attributes: { role },
          permission: {
            canSubscribe: grant.canSubscribe ?? true,
            canPublish: grant.canPublish ?? false,
            canPublishData: grant.canPublishData ?? false,
            canPublishSources: (grant.canPublishSources ?? []) as never,
            canUpdateMetadata: false,
          },
        }),
      );
    },
  };
}
