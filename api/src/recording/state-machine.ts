import type { TRecordingState } from './schemas';

/** Stored states (Recording.state). `ready` is terminal and shows as idle. */
export type TStoredRecordingState = 'starting' | 'recording' | 'stopping' | 'ready' | 'failed';
export type TRecordingEvent = 'start' | 'started' | 'stop' | 'stopped' | 'fail';

/** The allowed transitions; anything else is a CONFLICT. `null` = no recording yet (idle). */
export function nextRecordingState(
  current: TStoredRecordingState | null,
  event: TRecordingEvent,
): TStoredRecordingState | null {
  switch (event) {
    case 'start':
      return current === null || current === 'ready' || current === 'failed' ? 'starting' : null;
    case 'started':
      return current === 'starting' ? 'recording' : null;
    case 'stop':
      return current === 'recording' || current === 'starting' ? 'stopping' : null;
    case 'stopped':
      return current === 'stopping' ? 'ready' : null;
    case 'fail':
      return current === 'starting' || current === 'recording' || current === 'stopping' ? 'failed' : null;
  }
}

export interface TRecordingRow {
  id: string;
  state: string;
  startedBy: string;
  startedByName: string;
  failureReason: string | null;
  /** INSTANCE_ID of the realtime process that started it (process-bound recorders). */
  ownerInstance?: string | null;
  updatedAt: Date;
}

/** The public state of a room given its latest recording row. */
export function toRecordingState(row: TRecordingRow | null): TRecordingState {
  if (!row || row.state === 'ready') return { state: 'idle' };
  const base = {
    recordingId: row.id,
    startedBy: { identity: row.startedBy, name: row.startedByName },
    since: row.updatedAt.getTime(),
  };
  if (row.state === 'failed') return { ...base, state: 'failed', reason: row.failureReason ?? 'unknown' };
  if (row.state === 'starting' || row.state === 'recording' || row.state === 'stopping') {
    return { ...base, state: row.state };
  }
  return { state: 'idle' };
}
