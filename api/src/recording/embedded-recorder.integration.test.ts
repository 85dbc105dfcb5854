/**
 * The embedded recorder end to end: a real realtime instance drives it through `recording:start`
 * / `recording:stop`; rtc-node bots publish tones and a moving pattern through the real
 * livekit-server; the resulting file is inspected with ffprobe/ffmpeg (real media, not silence).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RoomServiceClient, TrackType } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { publishSyntheticVideoBot, type TMediaBot } from '../../../e2e/support/bots';
import { decodeAudio, decodeLuma, stddev, tonePower } from '../../../e2e/support/media-probe';
import { freePort } from '../../../scripts/lib/ports.mjs';
import type { Db } from '../db/client';
import { livekitHttpUrl } from '../livekit/room-admin';
import { createLogger } from '../logger';
import {
  connectRaw,
  firstSync,
  nextEvent,
  request,
  seedRoom,
  startInstance,
  type TTestInstance,
  testDb,
  testEnv,
  tokenFor,
  uniqueName,
} from '../realtime/testing';
import { createEmbeddedRecorder, type TEmbeddedRecorder } from './embedded-recorder';

const run = promisify(execFile);

let db: Db;
let server: TTestInstance;
let recorder: TEmbeddedRecorder;
let dir: string;

beforeAll(async () => {
  db = testDb();
  dir = await mkdtemp(join(tmpdir(), 'convene-rec-'));
  const env = testEnv();
  recorder = createEmbeddedRecorder({
    livekitUrl: env.LIVEKIT_URL,
    keys: { apiKey: env.LIVEKIT_API_KEY, apiSecret: env.LIVEKIT_API_SECRET },
    recordingsDir: dir,
    logger: createLogger(env.LOG_LEVEL, { service: 'recorder-test' }),
  });
  server = await startInstance({ db, redisPrefix: uniqueName('rt-rec'), recorder });
});
afterAll(async () => {
  await recorder?.stopAll();
  await server?.close();
  await db?.$disconnect();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForHealth(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await sleep(100);
  }
  throw new Error(`${url} did not become healthy`);
}

/** ffprobe's streams and duration of a media file. */
async function probe(file: string) {
  return JSON.parse(
    (await run('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file])).stdout,
  ) as {
    streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number }>;
    format: { duration: string; format_name: string };
  };
}

describe('embedded recorder', () => {
  test('records mixed tones and the speaker camera into a playable WebM of the real duration', async () => {
    const room = await seedRoom(db, 'rec');
    const bots: TMediaBot[] = [];
    try {
      // Modest bots: one 640x360 layer each (the box has 2 cores for all of this).
      const video = { width: 640, height: 360, fps: 15, simulcast: false, maxBitrate: 600_000 };
      bots.push(await publishSyntheticVideoBot(room, 'alice', { ...video, toneHz: 440 }));
      bots.push(await publishSyntheticVideoBot(room, 'bob', { ...video, toneHz: 880 }));

      const host = await connectRaw(server.url, await tokenFor(server.env, room, 'hana', 'host'));
      await firstSync(host);
      const recording = nextEvent(host, 'recording:state', (s) => s.state === 'recording', 15_000);
      expect(await request(host, 'recording:start', {})).toMatchObject({
        ok: true,
        data: { state: 'starting' },
      });
      await recording;
      const recordingSince = Date.now();

      // A second start while recording: CONFLICT naming the current state.
      expect(await request(host, 'recording:start', {})).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT', message: expect.stringContaining('recording') },
      });

      await sleep(10_000);
      // A third participant joins and bob is muted (by the SFU, as a host would do).
      bots.push(await publishSyntheticVideoBot(room, 'carol', video));
      const livekit = new RoomServiceClient(
        livekitHttpUrl(server.env.LIVEKIT_URL),
        server.env.LIVEKIT_API_KEY,
        server.env.LIVEKIT_API_SECRET,
      );
      const bobInfo = await livekit.getParticipant(room, 'bob');
      const bobMic = bobInfo.tracks.find((t) => t.type === TrackType.AUDIO);
      expect(bobMic?.sid).toBeTruthy();
      await livekit.mutePublishedTrack(room, 'bob', bobMic!.sid, true);
      await sleep(5_000);

      const idle = nextEvent(host, 'recording:state', (s) => s.state === 'idle', 15_000);
      expect(await request(host, 'recording:stop', {})).toMatchObject({
        ok: true,
        data: { state: 'stopping' },
      });
      const expectedSeconds = (Date.now() - recordingSince) / 1000;
      await idle;
      host.close();

      const row = await db.recording.findFirstOrThrow({ where: { room: { slug: room } } });
      expect(row).toMatchObject({ state: 'ready', failureReason: null });
      expect(row.filePath).toMatch(/\.webm$/);
      const file = row.filePath!;
      expect(row.sizeBytes).toBe(BigInt((await stat(file)).size));
      expect(Number(row.sizeBytes)).toBeGreaterThan(50_000);

      const probed = await probe(file);
      expect(probed.streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort()).toEqual([
        'audio:opus',
        'video:vp8',
      ]);
      expect(probed.streams.find((s) => s.codec_type === 'video')).toMatchObject({ width: 640, height: 360 });
      const duration = Number(probed.format.duration);
      process.stdout.write(
        `recording: expected ${expectedSeconds.toFixed(2)} s, file ${duration.toFixed(2)} s\n`,
      );
      expect(Math.abs(duration - expectedSeconds)).toBeLessThanOrEqual(1.5);

      // Both tones while both speak; 880 Hz gone once bob is muted, 440 Hz still there.
      const before = await decodeAudio(file, 3, 5);
      const after = await decodeAudio(file, duration - 3, 2);
      const noise = (pcm: Int16Array) => Math.max(...[300, 660, 1250, 2000].map((hz) => tonePower(pcm, hz)));
      const report = (pcm: Int16Array) => ({
        p440: tonePower(pcm, 440),
        p880: tonePower(pcm, 880),
        noise: noise(pcm),
      });
      const b = report(before);
      const a = report(after);
      process.stdout.write(`tone power before mute ${JSON.stringify(b)} after mute ${JSON.stringify(a)}\n`);
      expect(b.p440).toBeGreaterThan(100 * b.noise);
      expect(b.p880).toBeGreaterThan(100 * b.noise);
      expect(a.p440).toBeGreaterThan(100 * a.noise);
      expect(a.p880).toBeLessThan(a.p440 / 100);

      // A moving picture, not black: textured frames that differ a second apart.
      const f1 = await decodeLuma(file, 4);
      const f2 = await decodeLuma(file, 5);
      expect(f1.length).toBe(640 * 360);
      expect(stddev(f1)).toBeGreaterThan(20);
      let changed = 0;
      for (let i = 0; i < f1.length; i++) if (Math.abs(f1[i]! - f2[i]!) > 16) changed++;
      expect(changed / f1.length).toBeGreaterThan(0.1);
    } finally {
      await Promise.allSettled(bots.map((bot) => bot.disconnect()));
    }
  }, 120_000);

  test('the meeting ending under the recorder (LiveKit deleteRoom) finalises the file as ready', async () => {
    const env = testEnv();
    const room = await seedRoom(db, 'rec-end');
    const bot = await publishSyntheticVideoBot(room, 'alice', {
      width: 640,
      height: 360,
      fps: 15,
      simulcast: false,
      maxBitrate: 600_000,
      toneHz: 440,
    });
    try {
      const host = await connectRaw(server.url, await tokenFor(server.env, room, 'hana', 'host'));
      const recording = nextEvent(host, 'recording:state', (s) => s.state === 'recording', 15_000);
      expect(await request(host, 'recording:start', {})).toMatchObject({ ok: true });
      await recording;
      await sleep(4_000);
      const lk = new RoomServiceClient(
        livekitHttpUrl(env.LIVEKIT_URL),
        env.LIVEKIT_API_KEY,
        env.LIVEKIT_API_SECRET,
      );
      await lk.deleteRoom(room);
      const deadline = Date.now() + 20_000;
      let row = await db.recording.findFirstOrThrow({ where: { room: { slug: room } } });
      while (row.state !== 'ready' && row.state !== 'failed' && Date.now() < deadline) {
        await sleep(200);
        row = await db.recording.findFirstOrThrow({ where: { room: { slug: room } } });
      }
      host.close();
      expect(row).toMatchObject({ state: 'ready', failureReason: null });
      const probed = await probe(row.filePath!);
      expect(probed.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
      expect(Number(probed.format.duration)).toBeGreaterThan(4 - 1.5);
      expect(row.sizeBytes).toBe(BigInt((await stat(row.filePath!)).size));
    } finally {
      await bot.disconnect();
    }
  }, 60_000);

  test('SIGTERM to the realtime process that records finalises the file and stores it as ready', async () => {
    const room = await seedRoom(db, 'rec-kill');
    const port = await freePort();
    const killDir = await mkdtemp(join(tmpdir(), 'convene-rec-kill-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/realtime/main.ts'], {
      env: {
        ...process.env,
        REALTIME_PORT: String(port),
        RECORDER: 'embedded',
        RECORDINGS_DIR: killDir,
        DRAIN_SPREAD_MS: '0',
        LOG_LEVEL: 'warn',
        INSTANCE_ID: uniqueName('rec-kill'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    let bot: TMediaBot | undefined;
    try {
      const url = `http://127.0.0.1:${port}`;
      await waitForHealth(`${url}/healthz`, 20_000);
      bot = await publishSyntheticVideoBot(room, 'alice', {
        width: 640,
        height: 360,
        fps: 15,
        simulcast: false,
        maxBitrate: 600_000,
        toneHz: 440,
      });
      const host = await connectRaw(url, await tokenFor(server.env, room, 'hana', 'host'));
      const recording = nextEvent(host, 'recording:state', (s) => s.state === 'recording', 15_000);
      expect(await request(host, 'recording:start', {})).toMatchObject({ ok: true });
      await recording;
      const recordingSince = Date.now();
      await sleep(6_000);
      child.kill('SIGTERM');
      const code = await exited;
      const recordedSeconds = (Date.now() - recordingSince) / 1000;
      host.close();
      expect(code, output).toBe(0);

      const row = await db.recording.findFirstOrThrow({ where: { room: { slug: room } } });
      expect(row, output).toMatchObject({ state: 'ready', failureReason: null });
      const file = row.filePath!;
      expect(file.startsWith(killDir)).toBe(true);
      expect(row.sizeBytes).toBe(BigInt((await stat(file)).size));
      const probed = await probe(file);
      expect(probed.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
      const duration = Number(probed.format.duration);
      process.stdout.write(
        `killed recording: file ${duration.toFixed(2)} s; ${recordedSeconds.toFixed(2)} s from the recording state to exit\n`,
      );
      expect(duration).toBeGreaterThan(6 - 1.5);
      expect(duration).toBeLessThan(recordedSeconds + 1.5);
      const pcm = await decodeAudio(file, 2, 3);
      const noise = Math.max(...[300, 660, 1250, 2000].map((hz) => tonePower(pcm, hz)));
      expect(tonePower(pcm, 440)).toBeGreaterThan(100 * noise);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await bot?.disconnect();
      await rm(killDir, { recursive: true, force: true });
    }
  }, 90_000);

  test.each([
    ['ffmpeg is missing', { ffmpegPath: '/nonexistent/ffmpeg' }, /could not start/],
    ['LiveKit is unreachable', { livekitUrl: 'ws://127.0.0.1:9' }, /could not join the room/],
  ])(
    '%s → the recording ends failed with a reason',
    async (_name, broken, reason) => {
      const env = testEnv();
      const instance = await startInstance({
        db,
        redisPrefix: uniqueName('rt-rec-fail'),
        recorder: createEmbeddedRecorder({
          livekitUrl: env.LIVEKIT_URL,
          keys: { apiKey: env.LIVEKIT_API_KEY, apiSecret: env.LIVEKIT_API_SECRET },
          recordingsDir: dir,
          logger: createLogger(env.LOG_LEVEL, { service: 'recorder-test' }),
          ...broken,
        }),
      });
      try {
        const room = await seedRoom(db, 'rec-fail');
        const host = await connectRaw(instance.url, await tokenFor(instance.env, room, 'hana', 'host'));
        const failed = nextEvent(host, 'recording:state', (s) => s.state === 'failed', 20_000);
        expect(await request(host, 'recording:start', {})).toMatchObject({
          ok: true,
          data: { state: 'starting' },
        });
        expect(await failed).toMatchObject({ state: 'failed', reason: expect.stringMatching(reason) });
        host.close();
        expect(await db.recording.findFirstOrThrow({ where: { room: { slug: room } } })).toMatchObject({
          state: 'failed',
        });
      } finally {
        await instance.close();
      }
    },
    30_000,
  );
});
