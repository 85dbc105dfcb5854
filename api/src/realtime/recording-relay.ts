/**
 * Cluster questions about recordings held by process-bound recorders (the embedded one's ffmpeg
 * is a child of one realtime process), asked over the Socket.IO adapter (Redis). The cluster
 * adapter waits at most 5 s for the answers; those that arrived count even when an instance stays
 * silent (one that just died but is still listed by the adapter's heartbeat), and with no other
 * instance the answer is an immediate "nobody".
 */
import type { TIo } from './types';

function anyYes(answers: boolean[] | undefined): boolean {
  return (answers ?? []).some((answer) => answer === true);
}

/** Asks the other instances to stop the recording; resolves true when the one holding it took it. */
export function relayRecordingStop(io: TIo, input: { room: string; recordingId: string }): Promise<boolean> {
  return new Promise((resolve) => {
    io.serverSideEmit('recording:stop-owned', input, (_error: Error | null, answers: boolean[]) =>
      resolve(anyYes(answers)),
    );
  });
}

/** Asks the other instances whether one of them holds the recording (nothing is changed). */
export function askRecordingHeld(io: TIo, recordingId: string): Promise<boolean> {
  return new Promise((resolve) => {
    io.serverSideEmit('recording:held', { recordingId }, (_error: Error | null, answers: boolean[]) =>
      resolve(anyYes(answers)),
    );
  });
}
