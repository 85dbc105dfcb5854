/**
 * The port through which the state machine drives an actual recorder (LiveKit Egress or the
 * project's own). The recording issue plugs the real implementation into
 * `createRealtimeServer({ recorder })`; until then `immediateRecorder` stands in.
 */
export interface Recorder {
  /** Resolves once media is being recorded; rejects with a reason to move to `failed`. */
  start(input: { room: string; recordingId: string }): Promise<void>;
  /** Resolves once the file is finalised. */
  stop(input: { room: string; recordingId: string }): Promise<{ filePath?: string; sizeBytes?: bigint }>;
}

/** Default: starting→recording and stopping→done happen at once, with no file. */
export const immediateRecorder: Recorder = {
  async start() {},
  async stop() {
    return {};
  },
};
