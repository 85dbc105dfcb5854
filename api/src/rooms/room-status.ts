import type { Db } from '../db/client';
import { findLatestRecording } from '../recording/repository';
import type { TStoredRecordingState } from '../recording/state-machine';

/**
 * What anyone may learn about a room before joining it (the pre-join page polls it): whether it
 * exists, whether it is being recorded — so people can decide before their camera and microphone
 * are published —, and whether it is locked or has a lobby. No names, identities or counts.
 */
export interface TRoomStatus {
  exists: boolean;
  recording: boolean;
  locked: boolean;
  lobby: boolean;
}

/**
 * A recording counts from `starting` (the recorder's clock already runs) until it is finished;
 * `stopping` still writes media, so it still counts.
 */
const RECORDING_STATES: ReadonlySet<TStoredRecordingState> = new Set(['starting', 'recording', 'stopping']);

export function isRecordingActive(state: string | null | undefined): boolean {
  return RECORDING_STATES.has(state as TStoredRecordingState);
}

/** Reads the room's public status. Never creates the room (a GET must not make someone host). */
export async function getRoomStatus(db: Db, slug: string): Promise<TRoomStatus> {
  const room = await db.room.findUnique({
    where: { slug },
    select: { id: true, locked: true, lobbyEnabled: true },
  });
  if (!room) return { exists: false, recording: false, locked: false, lobby: false };
  const latest = await findLatestRecording(db, room.id);
  return {
    exists: true,
    recording: isRecordingActive(latest?.state),
    locked: room.locked,
    lobby: room.lobbyEnabled,
  };
}
