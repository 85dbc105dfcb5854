/**
 * The port through which the state machine drives an actual recorder (LiveKit Egress or the
 * project's own embedded one, see embedded-recorder.ts), injected through
 * `createRealtimeServer({ recorder })`. `immediateRecorder` stands in when RECORDER=none.
 */
export interface TRecordingFile {
  filePath?: string;
  sizeBytes?: bigint;
  /** Media duration as the recorder measured it (stored as Recording.durationSeconds). */
  durationSeconds?: number;
  /** Everyone the recorder saw in the room while recording (stored as Recording.participants). */
  participants?: TRecordedParticipant[];
}

export interface TRecordedParticipant {
  identity: string;
  name: string;
}

/** How a recording ended when nobody called stop(): a finalised file or a reason. */
export type TRecorderOutcome = { ok: true; file: TRecordingFile } | { ok: false; reason: string };

export interface TRecorderStartInput {
  room: string;
  recordingId: string;
  /** Called when the recording ends without stop() (room ended, process shutdown, crash). */
  onEnded?: (outcome: TRecorderOutcome) => Promise<void>;
}

export interface Recorder {
  /** Resolves once media is being recorded; rejects with a reason to move to `failed`. */
  start(input: TRecorderStartInput): Promise<void>;
  /** Resolves once the file is finalised. */
  stop(input: { room: string; recordingId: string }): Promise<TRecordingFile>;
  /**
   * For recorders bound to one process (the embedded one): whether this process holds the
   * recording. A stop arriving at another realtime instance is relayed to the owner. Recorders
   * any instance can stop (LiveKit Egress, `none`) leave it out.
   */
  owns?(recordingId: string): boolean;
}

/** Default: starting→recording and stopping→done happen at once, with no file. */
export const immediateRecorder: Recorder = {
  async start() {},
  async stop() {
    return {};
  },
};
