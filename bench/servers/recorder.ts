// The embedded recorder alone in a process for bench/recorder-cost.ts, so its CPU (this process
// plus its ffmpeg child) can be read from /proc apart from the SFU's and the publishers'. In the
// app the same code runs inside the realtime server; nothing else runs here.
//
// Env: BENCH_LIVEKIT_URL, BENCH_LIVEKIT_KEY, BENCH_LIVEKIT_SECRET, BENCH_ROOM, BENCH_RECORDINGS_DIR.
// Prints RECORDING once start() resolved; on a `stop` line on stdin it stops the recording and
// prints `DONE {filePath,sizeBytes,durationSeconds}`.
import { createInterface } from 'node:readline';
import { createLogger } from '../../api/src/logger';
import { createEmbeddedRecorder } from '../../api/src/recording/embedded-recorder';

const env = process.env;
const room = env.BENCH_ROOM!;
const recordingId = `bench-${Date.now().toString(36)}`;
const recorder = createEmbeddedRecorder({
  livekitUrl: env.BENCH_LIVEKIT_URL!,
  keys: { apiKey: env.BENCH_LIVEKIT_KEY!, apiSecret: env.BENCH_LIVEKIT_SECRET! },
  recordingsDir: env.BENCH_RECORDINGS_DIR!,
  logger: createLogger('warn', { service: 'bench-recorder' }),
});

async function stop() {
  const file = await recorder.stop({ room, recordingId });
  const done = {
    filePath: file.filePath,
    sizeBytes: Number(file.sizeBytes ?? 0),
    durationSeconds: file.durationSeconds,
  };
  console.log(`DONE ${JSON.stringify(done)}`);
  // rtc-node's native runtime can keep the event loop alive after the room is left.
  process.exit(0);
}

try {
  await recorder.start({ room, recordingId });
  console.log('RECORDING');
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim() === 'stop')
      stop().catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  });
} catch (error) {
  console.error(error);
  process.exit(1);
}
