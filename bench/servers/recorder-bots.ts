// Publishers for bench/recorder-cost.ts: N rtc-node participants in one room, each publishing a
// sine tone (microphone) and a moving test pattern (camera). They live in this process so their
// encoding and decoding CPU is not counted against the SFU or the recorder.
//
// Env: BENCH_LIVEKIT_URL, BENCH_LIVEKIT_KEY, BENCH_LIVEKIT_SECRET, BENCH_ROOM, BENCH_PUBLISHERS,
// BENCH_VIDEO (WxH@fps), BENCH_SIMULCAST (1/0), BENCH_MESH (1: every bot subscribes to the others,
// as in a real meeting, so the SFU forwards N×(N−1) streams). Prints READY once all published;
// SIGTERM leaves the room.
import { Room, RoomEvent, TrackPublishOptions, TrackSource, VideoCodec } from '@livekit/rtc-node';
import { issueJoinToken } from '../../api/src/tokens/issue-join-token';
import { startTestPatternVideo, startToneAudio } from '../../e2e/support/media';

const env = process.env;
const url = env.BENCH_LIVEKIT_URL!;
const keys = { apiKey: env.BENCH_LIVEKIT_KEY!, apiSecret: env.BENCH_LIVEKIT_SECRET! };
const room = env.BENCH_ROOM!;
const count = Number(env.BENCH_PUBLISHERS ?? 2);
const [, width, height, fps] = /^(\d+)x(\d+)@(\d+)$/.exec(env.BENCH_VIDEO ?? '640x360@15')!.map(Number) as [
  number,
  number,
  number,
  number,
];
const isSimulcast = env.BENCH_SIMULCAST === '1';
const isMesh = env.BENCH_MESH !== '0';

const stops: Array<() => Promise<void>> = [];
const rooms: Room[] = [];
let isMeshStarted = false;

async function publishBot(index: number) {
  const identity = `bot-${index}`;
  const { token } = await issueJoinToken(keys, {
    room,
    identity,
    name: `Bot ${index}`,
    role: 'participant',
    ttlSeconds: 3600,
  });
  const lk = new Room();
  rooms.push(lk);
  await lk.connect(url, token, { autoSubscribe: false, dynacast: true });
  // A later bot's tracks may reach this one only after the mesh started subscribing.
  lk.on(RoomEvent.TrackPublished, (publication) => {
    if (isMeshStarted) publication.setSubscribed(true);
  });
  const video = startTestPatternVideo(width, height, fps, index);
  stops.push(video.stop);
  await lk.localParticipant!.publishTrack(
    video.track,
    new TrackPublishOptions({
      source: TrackSource.SOURCE_CAMERA,
      simulcast: isSimulcast,
      videoCodec: VideoCodec.VP8,
      videoEncoding: { maxBitrate: 600_000n, maxFramerate: fps },
    }),
  );
  // Distinct tones, all continuous: every bot is an active speaker, the recorder mixes them all.
  const tone = startToneAudio(220 + 110 * index);
  stops.push(tone.stop);
  await lk.localParticipant!.publishTrack(
    tone.track,
    new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE, dtx: false, red: false }),
  );
}

async function leave() {
  await Promise.allSettled(stops.map((stop) => stop()));
  await Promise.allSettled(rooms.map((r) => r.disconnect()));
  process.exit(0);
}
process.once('SIGTERM', () => void leave());

try {
  // One at a time: concurrent joins on a loaded 2-core box make ICE time out.
  for (let i = 0; i < count; i++) await publishBot(i);
  // Subscribing only once everyone has published: decoding N×(N−1) streams while later bots are
  // still joining starves their ICE on this box.
  if (isMesh) {
    // READY only once every bot receives every other bot's two tracks, so the SFU really forwards.
    const expected = count * (count - 1) * 2;
    let subscribed = 0;
    const all = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${subscribed} of ${expected} subscriptions after 60 s`)),
        60_000,
      );
      for (const lk of rooms) {
        lk.on(RoomEvent.TrackSubscribed, () => {
          subscribed += 1;
          if (subscribed === expected) {
            clearTimeout(timer);
            resolve();
          }
        });
      }
    });
    isMeshStarted = true;
    for (const lk of rooms) {
      for (const participant of lk.remoteParticipants.values()) {
        for (const publication of participant.trackPublications.values()) publication.setSubscribed(true);
      }
    }
    await all;
  }
  console.log('READY');
} catch (error) {
  console.error(error);
  process.exit(1);
}
