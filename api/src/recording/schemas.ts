import { z } from 'zod';

export const ZRecordingStart = z.object({}).strict();
export const ZRecordingStop = z.object({}).strict();

export interface TRecordingActor {
  identity: string;
  name: string;
}

/**
 * The room's recording state as clients see it. `since` is the epoch ms of the last transition.
 * A finished recording (stored `ready`) shows as `idle`.
 */
export type TRecordingState =
  | { state: 'idle' }
  | {
      state: 'starting' | 'recording' | 'stopping';
      recordingId: string;
      startedBy: TRecordingActor;
      since: number;
    }
  | { state: 'failed'; recordingId: string; startedBy: TRecordingActor; since: number; reason: string };

export type TRecordingStateName = TRecordingState['state'];
