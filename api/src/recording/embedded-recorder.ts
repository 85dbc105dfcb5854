/**
 * The embedded recorder: a hidden rtc-node participant subscribes to the room, mixes every
 * microphone into one PCM stream, follows the active speaker's camera and feeds both to ffmpeg
 * through extra pipes (fd 3 = s16le audio, fd 4 = raw I420 video). Frames are written on a fixed
 * clock (silence / the last picture or black when nothing arrives), so audio and video stay in
 * sync and the file lasts as long as the recording did. Output: WebM (VP8 + Opus).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import {
  AudioStream,
  type Participant,
  type RemoteParticipant,
  type RemoteTrack,
  type RemoteTrackPublication,
  Room,
  RoomEvent,
  TrackKind,
  TrackSource,
  VideoBufferType,
  type VideoFrame,
  VideoStream,
} from '@livekit/rtc-node';
import type { Logger } from '../logger';
import { issueRecorderToken, type TLivekitKeys } from '../tokens/issue-join-token';
import type {
  Recorder,
  TRecordedParticipant,
  TRecorderOutcome,
  TRecorderStartInput,
  TRecordingFile,
} from './recorder';

const SAMPLE_RATE = 48_000;
const TICK_MS = 20;
/** A source starts contributing once this much audio is queued (absorbs network jitter). */
const PREBUFFER_SAMPLES = (SAMPLE_RATE * 60) / 1000;
/** Beyond this a source's queue is trimmed, so a burst never turns into lasting delay. */
const MAX_QUEUE_SAMPLES = (SAMPLE_RATE * 300) / 1000;

export interface TEmbeddedRecorderOptions {
  livekitUrl: string;
  keys: TLivekitKeys;
  recordingsDir: string;
  logger: Logger;
  width?: number;
  height?: number;
  fps?: number;
  ffmpegPath?: string;
}

export interface TEmbeddedRecorder extends Recorder {
  /** Whether this process holds the recording (an ffmpeg child of this process). */
  owns(recordingId: string): boolean;
  /** Finalises every recording this process owns (SIGTERM); resolves once their states are stored. */
  stopAll(): Promise<void>;
}

/** One participant's microphone as queued 48 kHz mono samples. */
class AudioInput {
  private readonly chunks: Int16Array[] = [];
  private queued = 0;
  private buffering = true;
  private closed = false;
  private readonly stream: AudioStream;

  constructor(track: RemoteTrack) {
    this.stream = new AudioStream(track, { sampleRate: SAMPLE_RATE, numChannels: 1 });
    void this.pump();
  }

  private async pump() {
    const reader = this.stream.getReader();
    try {
      while (!this.closed) {
        const { value, done } = await reader.read();
        if (done) break;
        this.chunks.push(value.data);
        this.queued += value.data.length;
        while (this.queued > MAX_QUEUE_SAMPLES && this.chunks.length > 1) {
          this.queued -= this.chunks.shift()!.length;
        }
      }
    } catch {
      // The track went away; the mixer just stops hearing it.
    } finally {
      reader.releaseLock();
    }
  }

  /** Adds the next `out.length` samples into `mix` (silence while buffering or starved). */
  addInto(mix: Int32Array) {
    if (this.buffering) {
      if (this.queued < PREBUFFER_SAMPLES) return;
      this.buffering = false;
    }
    let at = 0;
    while (at < mix.length && this.chunks.length > 0) {
      const chunk = this.chunks[0]!;
      const take = Math.min(chunk.length, mix.length - at);
      for (let i = 0; i < take; i++) mix[at + i]! += chunk[i]!;
      at += take;
      this.queued -= take;
      if (take === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(take);
    }
    if (at < mix.length) this.buffering = true;
  }

  close() {
    this.closed = true;
    void this.stream.cancel().catch(() => undefined);
  }
}

/** Nearest-neighbour scale of an I420 frame into a letterboxed `width`x`height` I420 buffer. */
export function scaleI420Into(frame: VideoFrame, out: Buffer, width: number, height: number) {
  const i420 = frame.type === VideoBufferType.I420 ? frame : frame.convert(VideoBufferType.I420);
  const sw = i420.width;
  const sh = i420.height;
  const src = i420.data;
  const scale = Math.min(width / sw, height / sh);
  const dw = Math.max(2, Math.floor((sw * scale) / 2) * 2);
  const dh = Math.max(2, Math.floor((sh * scale) / 2) * 2);
  const ox = Math.floor((width - dw) / 4) * 2;
  const oy = Math.floor((height - dh) / 4) * 2;
  fillBlack(out, width, height);
  const ySize = width * height;
  const cSize = ySize / 4;
  const sYSize = sw * sh;
  const scw = Math.ceil(sw / 2);
  const sch = Math.ceil(sh / 2);
  for (let y = 0; y < dh; y++) {
    const sy = Math.floor((y * sh) / dh);
    const row = (oy + y) * width + ox;
    for (let x = 0; x < dw; x++) out[row + x] = src[sy * sw + Math.floor((x * sw) / dw)]!;
  }
  for (let y = 0; y < dh / 2; y++) {
    const sy = Math.floor((y * sch) / (dh / 2));
    const row = (oy / 2 + y) * (width / 2) + ox / 2;
    for (let x = 0; x < dw / 2; x++) {
      const s = sy * scw + Math.floor((x * scw) / (dw / 2));
      out[ySize + row + x] = src[sYSize + s]!;
      out[ySize + cSize + row + x] = src[sYSize + scw * sch + s]!;
    }
  }
}

function fillBlack(out: Buffer, width: number, height: number) {
  const ySize = width * height;
  out.fill(16, 0, ySize);
  out.fill(128, ySize);
}

/** Resolves with the exit code of a child process. */
function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolveExit) => {
    if (child.exitCode !== null || child.signalCode !== null) resolveExit(child.exitCode);
    else child.once('exit', (code) => resolveExit(code));
  });
}

class RecordingSession {
  private readonly room = new Room();
  private ffmpeg?: ChildProcess;
  private audioPipe?: Writable;
  private videoPipe?: Writable;
  private readonly audio = new Map<string, AudioInput>();
  /** Everyone seen in the room while recording, by identity (reported with the file). */
  private readonly seen = new Map<string, TRecordedParticipant>();
  /** The camera publication currently shown, by track sid. */
  private videoSid?: string;
  private videoStream?: VideoStream;
  private readonly picture: Buffer;
  private hasPicture = false;
  private clock?: NodeJS.Timeout;
  private startedAt = 0;
  private samplesWritten = 0;
  private framesWritten = 0;
  private stderr = '';
  private finishing?: Promise<TRecorderOutcome>;
  /** Set when the recording cannot be valid whatever ffmpeg does (e.g. the join failed). */
  private failure?: string;
  /** Settles once an unrequested end has been handed to `onEnded` (stopAll waits for it). */
  reported: Promise<void> = Promise.resolve();
  readonly filePath: string;

  constructor(
    private readonly options: Required<Omit<TEmbeddedRecorderOptions, 'logger'>> & { logger: Logger },
    private readonly input: TRecorderStartInput,
    private readonly onGone: () => void,
  ) {
    this.filePath = resolve(join(options.recordingsDir, `${input.recordingId}.webm`));
    this.picture = Buffer.alloc((options.width * options.height * 3) / 2);
    fillBlack(this.picture, options.width, options.height);
  }

  get recordingId() {
    return this.input.recordingId;
  }

  async start() {
    const { options, input } = this;
    await mkdir(options.recordingsDir, { recursive: true });
    this.room
      .on(RoomEvent.TrackPublished, (publication, participant) => this.onPublished(publication, participant))
      .on(RoomEvent.TrackSubscribed, (track, publication, participant) =>
        this.onSubscribed(track, publication, participant),
      )
      .on(RoomEvent.TrackUnsubscribed, (_track, publication) => this.onUnsubscribed(publication))
      .on(RoomEvent.TrackUnpublished, (publication) => this.onUnsubscribed(publication))
      .on(RoomEvent.TrackMuted, () => this.pickVideo())
      .on(RoomEvent.TrackUnmuted, () => this.pickVideo())
      .on(RoomEvent.ParticipantConnected, (participant) => this.see(participant))
      .on(RoomEvent.ParticipantDisconnected, () => this.pickVideo())
      .on(RoomEvent.ActiveSpeakersChanged, (speakers) => this.pickVideo(speakers))
      .on(RoomEvent.Disconnected, () => {
        if (!this.finishing) void this.finish('room ended', false);
      });
    // The file starts at once (black + silence until media arrives), so `recording` is reported
    // without waiting for the LiveKit join; a join that fails ends the recording as failed.
    await this.spawnFfmpeg();
    this.startedAt = performance.now();
    this.clock = setInterval(() => this.tick(), TICK_MS);
    void this.join().catch((error: unknown) => {
      options.logger.warn({ err: error, recordingId: input.recordingId }, 'recorder could not join the room');
      this.failure = 'the recorder could not join the room';
      void this.finish('join failed', false);
    });
  }

  private async join() {
    const { options, input } = this;
    const token = await issueRecorderToken(options.keys, input.room, `recorder-${input.recordingId}`);
    await this.room.connect(options.livekitUrl.replace(/^http(s?):\/\//, 'ws$1://'), token, {
      autoSubscribe: false,
      dynacast: false,
    });
    if (this.finishing) {
      await this.room.disconnect().catch(() => undefined);
      return;
    }
    for (const participant of this.room.remoteParticipants.values()) {
      this.see(participant);
      for (const publication of participant.trackPublications.values())
        this.onPublished(publication, participant);
    }
    this.pickVideo();
  }

  private async spawnFfmpeg() {
    const { width, height, fps, ffmpegPath } = this.options;
    // biome-ignore format: one ffmpeg option per line
    const args = [
      '-hide_banner', '-loglevel', 'error', '-nostdin', '-y',
      '-f', 's16le', '-ar', String(SAMPLE_RATE), '-ac', '1', '-thread_queue_size', '512', '-i', 'pipe:3',
      '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-video_size', `${width}x${height}`, '-framerate', String(fps),
      '-thread_queue_size', '64', '-i', 'pipe:4',
      '-map', '0:a', '-map', '1:v',
      '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-threads', '1', '-b:v', '800k', '-g', String(fps * 2),
      '-c:a', 'libopus', '-b:a', '64k',
      '-f', 'webm', this.filePath,
    ];
    const child = spawn(ffmpegPath, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-2000);
    });
    child.once('exit', (code) => {
      if (!this.finishing) void this.finish(`ffmpeg exited early (${code})`, false);
    });
    this.ffmpeg = child;
    await new Promise<void>((resolveSpawn, reject) => {
      child.once('spawn', resolveSpawn);
      child.once('error', (error) => {
        // Never started (e.g. no ffmpeg on PATH): nothing to wait for when finishing.
        this.ffmpeg = undefined;
        reject(error);
      });
    });
    child.on('error', (error) => this.options.logger.warn({ err: error }, 'ffmpeg error'));
    this.audioPipe = child.stdio[3] as Writable;
    this.videoPipe = child.stdio[4] as Writable;
    // EPIPE after an ffmpeg crash surfaces through the exit code, not as an unhandled error.
    this.audioPipe.on('error', () => undefined);
    this.videoPipe.on('error', () => undefined);
  }

  /** Writes audio and video up to "now" on the recording clock. */
  private tick() {
    const elapsedMs = performance.now() - this.startedAt;
    const targetSamples = Math.floor((elapsedMs * SAMPLE_RATE) / 1000);
    const n = targetSamples - this.samplesWritten;
    if (n > 0) {
      const mix = new Int32Array(n);
      for (const input of this.audio.values()) input.addInto(mix);
      const out = Buffer.alloc(n * 2);
      for (let i = 0; i < n; i++) out.writeInt16LE(Math.max(-32768, Math.min(32767, mix[i]!)), i * 2);
      this.audioPipe?.write(out);
      this.samplesWritten = targetSamples;
    }
    const targetFrames = Math.floor((elapsedMs * this.options.fps) / 1000) + 1;
    while (this.framesWritten < targetFrames) {
      // A copy: the picture buffer keeps changing while the pipe may still hold this write.
      this.videoPipe?.write(Buffer.from(this.picture));
      this.framesWritten++;
    }
  }

  private see(participant: RemoteParticipant) {
    if (this.finishing) return;
    // Another recorder (a second hidden participant) is not someone who was recorded.
    if (participant.identity.startsWith('recorder-')) return;
    this.seen.set(participant.identity, {
      identity: participant.identity,
      name: participant.name || participant.identity,
    });
  }

  private onPublished(publication: RemoteTrackPublication, participant: RemoteParticipant) {
    this.see(participant);
    if (publication.kind === TrackKind.KIND_AUDIO) publication.setSubscribed(true);
    else this.pickVideo();
  }

  private onSubscribed(
    track: RemoteTrack,
    publication: RemoteTrackPublication,
    participant: RemoteParticipant,
  ) {
    const sid = publication.sid;
    if (!sid) return;
    if (track.kind === TrackKind.KIND_AUDIO) {
      this.audio.get(sid)?.close();
      this.audio.set(sid, new AudioInput(track));
      this.options.logger.debug({ sid, participant: participant.identity }, 'recording audio track');
    } else if (sid === this.videoSid) {
      this.showVideo(track);
    }
  }

  private onUnsubscribed(publication: RemoteTrackPublication) {
    const sid = publication.sid;
    if (!sid) return;
    this.audio.get(sid)?.close();
    this.audio.delete(sid);
    if (sid === this.videoSid) {
      this.videoSid = undefined;
      this.clearVideo();
      this.pickVideo();
    }
  }

  /** Shows the first active speaker with a live camera, else keeps the current one, else the first camera. */
  private pickVideo(speakers: Participant[] = []) {
    if (this.finishing) return;
    const cameraOf = (participant: Participant | RemoteParticipant) =>
      [...participant.trackPublications.values()].find(
        (p) => p.kind === TrackKind.KIND_VIDEO && p.source === TrackSource.SOURCE_CAMERA && !p.muted,
      ) as RemoteTrackPublication | undefined;
    const remotes = [...this.room.remoteParticipants.values()];
    const owner = remotes.find((p) => this.videoSid !== undefined && p.trackPublications.has(this.videoSid));
    const current = owner?.trackPublications.get(this.videoSid ?? '');
    const isCurrentLive = current !== undefined && !current.muted;
    // Stay on the current camera while its owner is still among the speakers (no flapping).
    const isOwnerSpeaking = owner !== undefined && speakers.some((s) => s.identity === owner.identity);
    const fromSpeaker = speakers
      .map((s) => this.room.remoteParticipants.get(s.identity))
      .map((p) => (p ? cameraOf(p) : undefined))
      .find(Boolean);
    const next =
      isCurrentLive && (isOwnerSpeaking || !fromSpeaker)
        ? current
        : (fromSpeaker ?? remotes.map(cameraOf).find(Boolean));
    if (next?.sid === this.videoSid) return;
    if (current) (current as RemoteTrackPublication).setSubscribed(false);
    this.clearVideo();
    this.videoSid = next?.sid;
    if (!next) return;
    next.setSubscribed(true);
    if (next.track) this.showVideo(next.track as RemoteTrack);
  }

  private showVideo(track: RemoteTrack) {
    this.clearVideo();
    const stream = new VideoStream(track);
    this.videoStream = stream;
    void (async () => {
      const reader = stream.getReader();
      try {
        while (this.videoStream === stream) {
          const { value, done } = await reader.read();
          if (done || this.videoStream !== stream) break;
          scaleI420Into(value.frame, this.picture, this.options.width, this.options.height);
          this.hasPicture = true;
        }
      } catch {
        // Track gone: pickVideo chooses another one.
      } finally {
        reader.releaseLock();
      }
    })();
  }

  /** Stops reading the shown camera and goes black until the next picture arrives. */
  private clearVideo() {
    const stream = this.videoStream;
    this.videoStream = undefined;
    if (stream) void stream.cancel().catch(() => undefined);
    if (this.hasPicture) fillBlack(this.picture, this.options.width, this.options.height);
    this.hasPicture = false;
  }

  /**
   * Closes the pipes, waits for ffmpeg to write the file and leaves the room. Idempotent. An end
   * nobody asked for through stop() (room ended, shutdown, ffmpeg crash) goes to `onEnded`.
   */
  finish(cause: string, requested: boolean): Promise<TRecorderOutcome> {
    if (this.finishing) return this.finishing;
    this.finishing = this.doFinish(cause).catch((error: unknown): TRecorderOutcome => {
      this.options.logger.error(
        { err: error, recordingId: this.recordingId },
        'recording finalisation failed',
      );
      return { ok: false, reason: `The recorder could not finish the file (${cause}).` };
    });
    void this.finishing.finally(this.onGone);
    if (!requested) {
      this.reported = this.finishing
        .then((outcome) => this.input.onEnded?.(outcome))
        .catch((error: unknown) => {
          this.options.logger.error(
            { err: error, recordingId: this.recordingId },
            'could not store the recording end',
          );
        });
    }
    return this.finishing;
  }

  private async doFinish(cause: string): Promise<TRecorderOutcome> {
    const { logger } = this.options;
    if (this.clock) {
      clearInterval(this.clock);
      this.tick();
    }
    this.clearVideo();
    for (const input of this.audio.values()) input.close();
    this.audio.clear();
    const child = this.ffmpeg;
    let code: number | null = null;
    if (child) {
      const exited = exitOf(child);
      this.audioPipe?.end();
      this.videoPipe?.end();
      code = await exited;
    }
    await this.room.disconnect().catch(() => undefined);
    if (this.failure) return { ok: false, reason: `The recording failed: ${this.failure}.` };
    if (code !== 0) {
      logger.warn({ cause, code, stderr: this.stderr, recordingId: this.recordingId }, 'ffmpeg failed');
      return { ok: false, reason: `The recorder could not finish the file (${cause}).` };
    }
    const { size } = await stat(this.filePath);
    const file: TRecordingFile = {
      filePath: this.filePath,
      sizeBytes: BigInt(size),
      durationSeconds: this.samplesWritten / SAMPLE_RATE,
      participants: [...this.seen.values()],
    };
    logger.info(
      { cause, ...file, sizeBytes: size, participants: this.seen.size, recordingId: this.recordingId },
      'recording finalised',
    );
    return { ok: true, file };
  }
}

/** Builds the embedded recorder; one ffmpeg per active recording owned by this process. */
export function createEmbeddedRecorder(options: TEmbeddedRecorderOptions): TEmbeddedRecorder {
  const settings = { width: 640, height: 360, fps: 15, ffmpegPath: 'ffmpeg', ...options };
  const logger = options.logger.child({ module: 'embedded-recorder' });
  // Process-local by nature: each recording is an ffmpeg child of this process.
  const sessions = new Map<string, RecordingSession>();

  return {
    async start(input) {
      const session = new RecordingSession({ ...settings, logger }, input, () =>
        sessions.delete(input.recordingId),
      );
      sessions.set(input.recordingId, session);
      try {
        await session.start();
      } catch (error) {
        sessions.delete(input.recordingId);
        await session.finish('start failed', true);
        throw error;
      }
    },
    async stop({ recordingId }) {
      const session = sessions.get(recordingId);
      if (!session) throw new Error(`recording ${recordingId} is not recorded by this process`);
      const outcome = await session.finish('stopped', true);
      if (!outcome.ok) throw new Error(outcome.reason);
      return outcome.file;
    },
    owns(recordingId) {
      return sessions.has(recordingId);
    },
    async stopAll() {
      const owned = [...sessions.values()];
      await Promise.all(owned.map((session) => session.finish('shutdown', false)));
      await Promise.all(owned.map((session) => session.reported));
    },
  };
}
