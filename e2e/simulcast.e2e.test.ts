// Group of 6 with simulcast: one Chromium participant through the real web UI and five rtc-node
// bots publishing 1280x720 simulcast. Grid tiles must receive a lower layer than the publishers'
// top one, and focusing a tile must raise the layer it receives (adaptive stream + dynacast).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { AudioStream, type RemoteTrack, Room, RoomEvent, TrackKind, VideoStream } from '@livekit/rtc-node';
import { RoomServiceClient } from 'livekit-server-sdk';
import type { Browser, Page } from 'playwright-core';
import { afterEach, describe, expect, test } from 'vitest';
import { publishSyntheticVideoBot, type TBot, type TMediaBot } from './support/bots';
import { launchChromium, newMediaContext, saveScreenshot } from './support/browser';
import { testEnv } from './support/env';
import { mintToken, uniqueRoom } from './support/tokens';

const TOP = { width: 1280, height: 720 };
const BOT_FPS = 15;
const BOT_COUNT = 5;
const TONE_HZ = 440;

const roomService = new RoomServiceClient(
  testEnv.livekitUrl,
  testEnv.livekitApiKey,
  testEnv.livekitApiSecret,
);

/** Everything a test started; closed after each test even when it fails. */
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.allSettled(cleanups.splice(0).map((cleanup) => cleanup()));
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until `done` holds or time runs out; returns the last value either way. */
async function pollUntil<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
): Promise<{ value: T; settled: boolean; waitedMs: number }> {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (done(value)) return { value, settled: true, waitedMs: Date.now() - start };
    if (Date.now() - start > timeoutMs) return { value, settled: false, waitedMs: Date.now() - start };
    await sleep(500);
  }
}

async function startBots(roomName: string): Promise<TMediaBot[]> {
  return Promise.all(
    Array.from({ length: BOT_COUNT }, async (_, i) => {
      const bot = await publishSyntheticVideoBot(roomName, `sim-bot-${i + 1}`, {
        ...TOP,
        fps: BOT_FPS,
        simulcast: true,
      });
      cleanups.push(() => bot.disconnect());
      return bot;
    }),
  );
}

/** The simulcast layers LiveKit advertises for each participant's camera track. */
async function publishedLayers(roomName: string) {
  const participants = await roomService.listParticipants(roomName);
  return Object.fromEntries(
    participants.map((p) => [
      p.identity,
      p.tracks
        .filter((t) => t.width > 0)
        .flatMap((t) => t.layers.map((l) => ({ width: l.width, height: l.height, bitrate: l.bitrate }))),
    ]),
  );
}

/** Frequency (from rising zero crossings) and RMS of 1 s of audio, after 0.5 s of warm-up. */
async function measureTone(track: RemoteTrack): Promise<{ hz: number; rms: number }> {
  const sampleRate = 48_000;
  const reader = new AudioStream(track, sampleRate, 1).getReader();
  const samples: number[] = [];
  const deadline = Date.now() + 10_000;
  while (samples.length < 1.5 * sampleRate && Date.now() < deadline) {
    const next = await Promise.race([reader.read(), sleep(deadline - Date.now()).then(() => null)]);
    if (!next || next.done) break;
    for (const v of next.value.data) samples.push(v / 32768);
  }
  await reader.cancel();
  const window = samples.slice(sampleRate / 2);
  let crossings = 0;
  let sumSquares = 0;
  for (let i = 1; i < window.length; i++) {
    if (window[i - 1]! < 0 && window[i]! >= 0) crossings++;
    sumSquares += window[i]! ** 2;
  }
  const seconds = window.length / sampleRate;
  return {
    hz: seconds > 0 ? crossings / seconds : 0,
    rms: Math.sqrt(sumSquares / Math.max(window.length, 1)),
  };
}

// ---------------------------------------------------------------------------------------------
// Browser-side probes. Plain JavaScript strings: they run in the page, outside this TS program.

/** Records every RTCPeerConnection the page creates so the test can read its stats. */
const COLLECT_PEER_CONNECTIONS = `(() => {
  const Native = window.RTCPeerConnection;
  const pcs = [];
  window.RTCPeerConnection = class extends Native {
    constructor(...args) { super(...args); pcs.push(this); }
  };
  window.__conveneTileVideoStats = async () => {
    const inbound = new Map();
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video' && s.trackIdentifier) inbound.set(s.trackIdentifier, s);
      });
    }
    return [...document.querySelectorAll('[data-testid="participant-tile"]')].map((tile) => {
      const video = tile.querySelector('video');
      const stream = video && video.srcObject;
      const track = stream && typeof stream.getVideoTracks === 'function' ? stream.getVideoTracks()[0] : undefined;
      const s = track ? inbound.get(track.id) : undefined;
      const box = (video || tile).getBoundingClientRect();
      return {
        identity: tile.getAttribute('data-identity') || '',
        inFocusView: Boolean(tile.closest('[data-testid="focus-view"]')),
        isFocused: tile.getAttribute('data-focused') === 'true',
        boxWidth: Math.round(box.width),
        boxHeight: Math.round(box.height),
        videoWidth: video ? video.videoWidth : 0,
        videoHeight: video ? video.videoHeight : 0,
        frameWidth: (s && s.frameWidth) || 0,
        frameHeight: (s && s.frameHeight) || 0,
        framesDecoded: (s && s.framesDecoded) || 0,
        bytesReceived: (s && s.bytesReceived) || 0,
        at: performance.now(),
      };
    });
  };
})();`;

interface TTileSnapshot {
  identity: string;
  inFocusView: boolean;
  isFocused: boolean;
  boxWidth: number;
  boxHeight: number;
  videoWidth: number;
  videoHeight: number;
  frameWidth: number;
  frameHeight: number;
  framesDecoded: number;
  bytesReceived: number;
  at: number;
}

interface TTileSample {
  identity: string;
  inFocusView: boolean;
  isFocused: boolean;
  box: string;
  boxWidth: number;
  frameWidth: number;
  frameHeight: number;
  videoWidth: number;
  videoHeight: number;
  kbps: number;
  fps: number;
}

function snapshotTiles(page: Page): Promise<TTileSnapshot[]> {
  return page.evaluate('window.__conveneTileVideoStats()') as Promise<TTileSnapshot[]>;
}

/** Two snapshots `windowMs` apart: resolution now, bitrate and decode rate over the window. */
async function sampleTiles(page: Page, windowMs = 1500): Promise<TTileSample[]> {
  const before = await snapshotTiles(page);
  await sleep(windowMs);
  const after = await snapshotTiles(page);
  return after.map((tile) => {
    const prev = before.find(
      (b) =>
        b.identity === tile.identity && b.inFocusView === tile.inFocusView && b.isFocused === tile.isFocused,
    );
    const seconds = prev ? (tile.at - prev.at) / 1000 : 0;
    const rate = (now: number, then?: number) =>
      seconds > 0 && then !== undefined && now >= then ? (now - then) / seconds : 0;
    return {
      identity: tile.identity,
      inFocusView: tile.inFocusView,
      isFocused: tile.isFocused,
      boxWidth: tile.boxWidth,
      box: `${tile.boxWidth}x${tile.boxHeight}`,
      frameWidth: tile.frameWidth,
      frameHeight: tile.frameHeight,
      videoWidth: tile.videoWidth,
      videoHeight: tile.videoHeight,
      kbps: Math.round((rate(tile.bytesReceived, prev?.bytesReceived) * 8) / 1000),
      fps: Math.round(rate(tile.framesDecoded, prev?.framesDecoded) * 10) / 10,
    };
  });
}

function botTiles(samples: TTileSample[]): TTileSample[] {
  return samples
    .filter((s) => s.identity.startsWith('sim-bot-'))
    .sort((a, b) => a.identity.localeCompare(b.identity));
}

function printTable(title: string, samples: TTileSample[]): void {
  console.log(`\n${title}`);
  console.table(samples);
}

/** CPU used by this process (the bots' encoders run on its native threads) and by the machine. */
function startCpuMeter() {
  const machine = () => {
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: fields.reduce((a, b) => a + b, 0) - idle, total: fields.reduce((a, b) => a + b, 0) };
  };
  const startedAt = process.hrtime.bigint();
  const startUsage = process.cpuUsage();
  const startMachine = machine();
  return {
    read() {
      const wallUs = Number(process.hrtime.bigint() - startedAt) / 1000;
      const usage = process.cpuUsage(startUsage);
      const now = machine();
      const busy = now.busy - startMachine.busy;
      const total = now.total - startMachine.total;
      return {
        cores: cpus().length,
        processPercent: Math.round(((usage.user + usage.system) / wallUs) * 100),
        machinePercent: total > 0 ? Math.round((busy / total) * 100) : 0,
      };
    },
  };
}

function writeArtifact(name: string, data: unknown): string {
  mkdirSync(testEnv.artifactsDir, { recursive: true });
  const path = join(testEnv.artifactsDir, name);
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
  return path;
}

async function launchBrowser(): Promise<Browser> {
  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  return browser;
}

describe('simulcast', () => {
  test('a synthetic bot publishes three simulcast layers and a tone; a subscriber decodes both', async () => {
    const roomName = uniqueRoom('simulcast-bot');
    const publisher = await publishSyntheticVideoBot(roomName, 'sim-publisher', {
      ...TOP,
      fps: BOT_FPS,
      simulcast: true,
      toneHz: TONE_HZ,
    });
    cleanups.push(() => publisher.disconnect());

    const layers = await pollUntil(
      () => publishedLayers(roomName),
      (l) => (l['sim-publisher'] ?? []).length >= 3,
      10_000,
    );
    expect(layers.value['sim-publisher']?.map((l) => `${l.width}x${l.height}`).sort()).toEqual([
      '1280x720',
      '320x180',
      '640x360',
    ]);

    // A plain rtc-node subscriber sets no preferred dimensions, so the SFU sends the top layer.
    const subscriber = new Room();
    cleanups.push(() => subscriber.disconnect());
    const subscribed = (kind: TrackKind) =>
      new Promise<RemoteTrack>((resolve) => {
        subscriber.on(RoomEvent.TrackSubscribed, (t) => {
          if (t.kind === kind) resolve(t);
        });
      });
    const track = subscribed(TrackKind.KIND_VIDEO);
    const audioTrack = subscribed(TrackKind.KIND_AUDIO);
    await subscriber.connect(testEnv.livekitUrl, await mintToken(roomName, 'sim-subscriber'), {
      autoSubscribe: true,
      dynacast: true,
    });
    // Read until the top layer arrives, then count frames for 3 s to get the frame rate. On a
    // loaded box the stream may briefly step down a layer: that is fine, frames must keep coming.
    const reader = new VideoStream(await track).getReader();
    const widths = new Set<number>();
    const deadline = Date.now() + 15_000;
    let topSince = 0;
    let frames = 0;
    let topFrames = 0;
    while (Date.now() < deadline && (!topSince || Date.now() - topSince < 3000)) {
      const next = await Promise.race([reader.read(), sleep(deadline - Date.now()).then(() => null)]);
      if (!next || next.done) break;
      const { width, height } = next.value.frame;
      widths.add(width);
      const isTop = width === TOP.width && height === TOP.height;
      topSince ||= isTop ? Date.now() : 0;
      if (topSince) frames++;
      if (topSince && isTop) topFrames++;
    }
    await reader.cancel();
    const seconds = topSince ? (Date.now() - topSince) / 1000 : 0;
    const fps = seconds ? Math.round((frames / seconds) * 10) / 10 : 0;
    console.log(
      `bot check: layers ${JSON.stringify(layers.value['sim-publisher'])}; widths received ${[...widths].join(', ')}; ` +
        `${fps} fps over ${seconds.toFixed(1)} s, ${topFrames}/${frames} frames at ${TOP.width}x${TOP.height}`,
    );
    expect(widths).toContain(TOP.width);
    // Under CPU contention libwebrtc keeps the resolution and drops frames (MAINTAIN_RESOLUTION):
    // 3-4 fps was seen with a load average of 14 on 2 cores. A stalled stream gives 1-2 frames.
    expect(frames, 'frames keep flowing for 3 s').toBeGreaterThanOrEqual(5);

    const tone = await measureTone(await audioTrack);
    console.log(
      `tone check: ${tone.hz.toFixed(1)} Hz at RMS ${tone.rms.toFixed(3)} (published ${TONE_HZ} Hz)`,
    );
    expect(tone.rms, 'the tone is audible').toBeGreaterThan(0.05);
    expect(Math.abs(tone.hz - TONE_HZ), 'the tone keeps its frequency through Opus').toBeLessThan(5);
  });

  test('group of 6: grid tiles get a lower layer, focusing a tile raises it', {
    timeout: 180_000,
  }, async () => {
    const slug = uniqueRoom('simulcast');
    const browser = await launchBrowser();
    const context = await newMediaContext(browser, { width: 1280, height: 800 });
    await context.addInitScript({ content: COLLECT_PEER_CONNECTIONS });
    const page = await context.newPage();

    // The browser opens the room first, so it creates it and becomes host.
    await page.goto(`/r/${slug}`);
    await page.getByTestId('display-name').fill('Simulcast Viewer');
    await page.getByTestId('join').click();
    await page.getByTestId('video-grid').waitFor({ timeout: 30_000 });

    const bots: TBot[] = await startBots(slug);
    const identities = bots.map((b) => b.identity);
    for (const identity of identities) {
      await page
        .locator(`[data-testid="participant-tile"][data-identity="${identity}"]`)
        .first()
        .waitFor({ timeout: 30_000 });
    }

    // Grid: every bot tile decoding, at a layer below the 1280-wide top one.
    const grid = await pollUntil(
      () => sampleTiles(page),
      (samples) => {
        const tiles = botTiles(samples).filter((t) => !t.inFocusView);
        return (
          tiles.length === BOT_COUNT &&
          tiles.every((t) => t.frameWidth > 0 && t.frameWidth <= 640 && t.fps > 0)
        );
      },
      20_000,
    );
    // Hold the grid a little longer: the layer must stay low because tiles are small, not
    // because the bandwidth estimate has not ramped up yet. Measure CPU over the same window.
    const cpu = startCpuMeter();
    if (grid.settled) await sleep(3000);
    const steady = botTiles(await sampleTiles(page)).filter((t) => !t.inFocusView);
    const gridCpu = cpu.read();
    printTable(`grid (first settled=${grid.settled} after ${grid.waitedMs} ms; 3 s later:)`, steady);
    console.log(
      `CPU during grid: this test process (5 bots) ${gridCpu.processPercent}% of one core, whole machine ${gridCpu.machinePercent}% of ${gridCpu.cores} cores`,
    );
    const gridTiles = steady;
    await saveScreenshot(page, 'simulcast-grid');
    const layersDuringGrid = await publishedLayers(slug);

    const focusIdentity = identities[0]!;
    const gridFocusTile = gridTiles.find((t) => t.identity === focusIdentity);
    await page
      .locator(`[data-testid="participant-tile"][data-identity="${focusIdentity}"]`)
      .first()
      .getByTestId('focus-toggle')
      .click();
    await page.getByTestId('focus-view').waitFor({ timeout: 10_000 });

    // Focused: the same publisher's track should now arrive at the top layer (or at least higher).
    const focusedOf = (samples: TTileSample[]) => {
      const tiles = samples.filter((t) => t.identity === focusIdentity);
      // The UI marks the large tile with data-focused; otherwise take the largest one shown.
      return tiles.find((t) => t.isFocused) ?? tiles.sort((a, b) => b.boxWidth - a.boxWidth)[0];
    };
    const focus = await pollUntil(
      () => sampleTiles(page),
      (samples) => (focusedOf(samples)?.frameWidth ?? 0) >= TOP.width,
      20_000,
    );
    const focusedTile = focusedOf(focus.value);
    printTable(
      `focus on ${focusIdentity} (reached top=${focus.settled} after ${focus.waitedMs} ms)`,
      botTiles(focus.value),
    );
    await saveScreenshot(page, 'simulcast-focus');

    const artifact = writeArtifact('simulcast.json', {
      room: slug,
      publishers: { count: BOT_COUNT, ...TOP, fps: BOT_FPS, simulcast: true },
      viewport: { width: 1280, height: 800 },
      layersAdvertised: layersDuringGrid,
      grid: {
        settled: grid.settled,
        waitedMs: grid.waitedMs,
        firstTiles: botTiles(grid.value),
        tiles: gridTiles,
      },
      cpuDuringGrid: gridCpu,
      focus: {
        identity: focusIdentity,
        reachedTop: focus.settled,
        waitedMs: focus.waitedMs,
        tiles: botTiles(focus.value),
      },
    });
    console.log(`simulcast numbers written to ${artifact}`);

    expect(gridTiles).toHaveLength(BOT_COUNT);
    for (const tile of gridTiles) {
      expect(tile.fps, `${tile.identity} decodes frames in the grid`).toBeGreaterThan(0);
      expect(tile.frameWidth, `${tile.identity} grid layer`).toBeGreaterThan(0);
      expect(tile.frameWidth, `${tile.identity} grid layer is below the top layer`).toBeLessThanOrEqual(640);
    }
    expect(focusedTile, 'focused tile is on the page').toBeDefined();
    expect(focusedTile!.fps, 'focused tile decodes frames').toBeGreaterThan(0);
    expect(focusedTile!.frameWidth, 'focused layer is higher than the grid layer').toBeGreaterThan(
      gridFocusTile!.frameWidth,
    );
  });
});
