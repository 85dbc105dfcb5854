import {
  type LocalTrackPublication,
  Room,
  RoomEvent,
  TrackPublishOptions,
  TrackSource,
  VideoCodec,
} from '@livekit/rtc-node';
import { testEnv } from './env';
import { startTestPatternVideo, startToneAudio } from './media';
import { mintToken } from './tokens';

export interface TBot {
  identity: string;
  room: Room;
  /** Stops every media loop the bot runs, then leaves the room. Safe to call twice. */
  disconnect(): Promise<void>;
}

export interface TMediaBot extends TBot {
  video: LocalTrackPublication;
  audio?: LocalTrackPublication;
}

/** A published synthetic track and the means to stop feeding it. */
export interface TPublishedMedia {
  publication: LocalTrackPublication;
  stop(): Promise<void>;
}

/** A server-side participant (no media) joining a room through the real SFU. */
export async function joinBot(roomName: string, identity: string): Promise<TBot> {
  const room = new Room();
  await room.connect(
    testEnv.livekitUrl,
    await mintToken(roomName, identity, 'participant', `Bot ${identity}`),
    {
      autoSubscribe: false,
      dynacast: true,
    },
  );
  return { identity, room, disconnect: () => room.disconnect() };
}

export interface TSyntheticVideoOptions {
  width?: number;
  height?: number;
  /** Keep it modest: every bot encodes all simulcast layers in software. */
  fps?: number;
  simulcast?: boolean;
  /** Bitrate of the top layer; lower layers follow LiveKit's presets. */
  maxBitrate?: number;
  /** Also publish a sine tone at this frequency (Hz) on a microphone track. */
  toneHz?: number;
}

/**
 * Joins `roomName` as `identity` and publishes a moving test pattern as a camera track
 * (1280x720 with simulcast by default: LiveKit derives the 640x360 and 320x180 layers).
 */
export async function publishSyntheticVideoBot(
  roomName: string,
  identity: string,
  {
    width = 1280,
    height = 720,
    fps = 15,
    simulcast = true,
    maxBitrate = 1_700_000,
    toneHz,
  }: TSyntheticVideoOptions = {},
): Promise<TMediaBot> {
  const bot = await joinBot(roomName, identity);
  const stops: Array<() => Promise<void>> = [];
  const disconnect = once(async () => {
    await Promise.allSettled(stops.map((stop) => stop()));
    await bot.room.disconnect();
  });
  try {
    const seed = [...identity].reduce((sum, c) => sum + c.charCodeAt(0), 0);
    const loop = startTestPatternVideo(width, height, fps, seed);
    stops.push(loop.stop);
    const video = await bot.room.localParticipant!.publishTrack(
      loop.track,
      new TrackPublishOptions({
        source: TrackSource.SOURCE_CAMERA,
        simulcast,
        videoCodec: VideoCodec.VP8,
        videoEncoding: { maxBitrate: BigInt(maxBitrate), maxFramerate: fps },
      }),
    );
    let audio: LocalTrackPublication | undefined;
    if (toneHz !== undefined) {
      const tone = await publishTone(bot.room, toneHz);
      stops.push(tone.stop);
      audio = tone.publication;
    }
    return { identity, room: bot.room, video, audio, disconnect };
  } catch (error) {
    await disconnect();
    throw error;
  }
}

/**
 * Publishes a continuous sine tone at `hz` as the microphone of an already connected room.
 * `stop()` unpublishes it and ends the feeding loop; disconnecting the room also ends it.
 */
export async function publishTone(room: Room, hz: number): Promise<TPublishedMedia> {
  const participant = room.localParticipant;
  if (!participant) throw new Error('publishTone needs a connected room');
  const loop = startToneAudio(hz);
  try {
    const publication = await participant.publishTrack(
      loop.track,
      new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE, dtx: false, red: false }),
    );
    const stop = once(async () => {
      if (room.isConnected && publication.sid) {
        await participant.unpublishTrack(publication.sid).catch(() => undefined);
      }
      await loop.stop();
    });
    // Leaving the room must also end the feeding loop, or its pending capture keeps Node alive.
    room.once(RoomEvent.Disconnected, () => void stop());
    return { publication, stop };
  } catch (error) {
    await loop.stop();
    throw error;
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= fn();
    return running;
  };
}
