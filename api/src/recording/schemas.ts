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

/** A stop relayed between realtime instances (`recording:stop-owned`). */
export const ZRecordingStopOwned = z.strictObject({ room: z.string().min(1), recordingId: z.uuid() });

/** "Does your recorder hold this recording?" between realtime instances (`recording:held`). */
export const ZRecordingHeld = z.strictObject({ recordingId: z.uuid() });

/** An integrator acting through the REST API: `api:<key prefix>` and the key's name. */
export const ZIntegratorActor = z.strictObject({
  identity: z.string().min(1).max(128),
  name: z.string().min(1).max(128),
});

/** Body of the realtime server's internal start and stop routes (sent by the web process). */
export const ZInternalRecordingRequest = z.strictObject({ actor: ZIntegratorActor });
export type TInternalRecordingRequest = z.infer<typeof ZInternalRecordingRequest>;
