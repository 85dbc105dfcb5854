// Synthetic media for rtc-node bots: a moving I420 test pattern and a sine tone.
//
// Both are precomputed once so a frame costs a few row copies, not per-pixel work: five bots
// encoding 720p on a 2-core box leave little CPU for rendering.
import {
  AudioFrame,
  AudioSource,
  LocalAudioTrack,
  LocalVideoTrack,
  VideoBufferType,
  VideoFrame,
  VideoSource,
} from '@livekit/rtc-node';

/** Horizontal period of the pattern, in pixels; also how far the "tape" extends past the frame. */
const PERIOD = 256;
/** Pixels the pattern scrolls per frame (even, so chroma stays aligned). */
const STEP = 8;

/**
 * A scrolling test pattern: diagonal luma bands over coloured vertical bars, plus a bright bar
 * whose height depends on `seed` so each bot's picture differs. The encoder sees steady motion,
 * like a camera, so every simulcast layer carries real bitrate.
 */
export class TestPattern {
  readonly width: number;
  readonly height: number;
  private readonly tapeY: Uint8Array;
  private readonly tapeU: Uint8Array;
  private readonly tapeV: Uint8Array;
  private readonly tapeWidth: number;
  /** Own ArrayBuffer, offset 0: rtc-node passes `data.buffer` to the native side, not a view. */
  private readonly buffer: Uint8Array;
  private offset = 0;

  constructor(width: number, height: number, seed = 0) {
    if (width % 2 || height % 2) throw new Error('I420 needs even dimensions');
    this.width = width;
    this.height = height;
    this.tapeWidth = width + PERIOD;
    const cw = this.tapeWidth / 2;
    const ch = height / 2;
    this.tapeY = new Uint8Array(this.tapeWidth * height);
    this.tapeU = new Uint8Array(cw * ch);
    this.tapeV = new Uint8Array(cw * ch);
    const barTop = Math.floor(height * (0.2 + 0.1 * (seed % 5)));
    const barBottom = barTop + Math.floor(height / 10);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < this.tapeWidth; x++) {
        const band = ((x + y) % PERIOD) / PERIOD;
        const inBar = y >= barTop && y < barBottom && x % PERIOD < PERIOD / 4;
        this.tapeY[y * this.tapeWidth + x] = inBar ? 235 : 40 + Math.round(150 * band);
      }
    }
    for (let y = 0; y < ch; y++) {
      for (let x = 0; x < cw; x++) {
        const column = Math.floor(((2 * x) % PERIOD) / (PERIOD / 4));
        this.tapeU[y * cw + x] = [90, 160, 128, 200][column]! + ((seed * 17) % 32);
        this.tapeV[y * cw + x] = [200, 90, 160, 128][column]!;
      }
    }
    this.buffer = new Uint8Array(new ArrayBuffer((width * height * 3) / 2));
  }

  /** Renders the next frame into the shared buffer (valid until the next call). */
  nextFrame(): VideoFrame {
    const { width, height, tapeWidth } = this;
    const cw = width / 2;
    const tcw = tapeWidth / 2;
    const ch = height / 2;
    const o = this.offset;
    const oc = o / 2;
    const ySize = width * height;
    for (let y = 0; y < height; y++) {
      const from = y * tapeWidth + o;
      this.buffer.set(this.tapeY.subarray(from, from + width), y * width);
    }
    for (let y = 0; y < ch; y++) {
      const from = y * tcw + oc;
      this.buffer.set(this.tapeU.subarray(from, from + cw), ySize + y * cw);
      this.buffer.set(this.tapeV.subarray(from, from + cw), ySize + cw * ch + y * cw);
    }
    this.offset = (o + STEP) % PERIOD;
    return new VideoFrame(this.buffer, width, height, VideoBufferType.I420);
  }
}

export interface TVideoLoop {
  track: LocalVideoTrack;
  source: VideoSource;
  stop(): Promise<void>;
}

/** Starts feeding a moving test pattern into a new video track at `fps`. */
export function startTestPatternVideo(width: number, height: number, fps: number, seed = 0): TVideoLoop {
  const source = new VideoSource(width, height);
  const track = LocalVideoTrack.createVideoTrack('synthetic-camera', source);
  const pattern = new TestPattern(width, height, seed);
  const startedAt = process.hrtime.bigint();
  const timer = setInterval(
    () => {
      const timestampUs = (process.hrtime.bigint() - startedAt) / 1000n;
      source.captureFrame(pattern.nextFrame(), timestampUs);
    },
    Math.round(1000 / fps),
  );
  let stopped = false;
  return {
    track,
    source,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await source.close();
    },
  };
}

export const TONE_SAMPLE_RATE = 48_000;
const TONE_FRAME_MS = 10;

export interface TAudioLoop {
  track: LocalAudioTrack;
  source: AudioSource;
  stop(): Promise<void>;
}

/**
 * Starts a continuous sine tone at `hz` (mono, 48 kHz) on a new audio track. One second of tone
 * is precomputed; for integer `hz` it holds whole periods, so looping it keeps the phase.
 */
export function startToneAudio(hz: number, amplitude = 0.3): TAudioLoop {
  const source = new AudioSource(TONE_SAMPLE_RATE, 1);
  const track = LocalAudioTrack.createAudioTrack('synthetic-tone', source);
  const second = new Int16Array(TONE_SAMPLE_RATE);
  for (let i = 0; i < second.length; i++) {
    second[i] = Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * hz * i) / TONE_SAMPLE_RATE));
  }
  const samplesPerFrame = (TONE_SAMPLE_RATE * TONE_FRAME_MS) / 1000;
  let stopped = false;
  const loop = (async () => {
    // AudioSource paces us: captureFrame resolves once its native queue has room.
    for (let at = 0; !stopped; at = (at + samplesPerFrame) % second.length) {
      // A fresh array per frame: AudioFrame hands `data.buffer` (not the view) to the native side.
      const data = second.slice(at, at + samplesPerFrame);
      await source.captureFrame(new AudioFrame(data, TONE_SAMPLE_RATE, 1, samplesPerFrame));
    }
  })().catch((error: unknown) => {
    if (!stopped) throw error;
  });
  return {
    track,
    source,
    async stop() {
      if (stopped) return;
      stopped = true;
      await loop;
      await source.close();
    },
  };
}
