// The meeting as people use it: landing → pre-join → room, in real Chromium against the real
// platform (Next.js, livekit-server, Postgres). Two browser contexts are two different people
// (separate cookies), one on a desktop viewport and one at phone width.
import { createDb } from '@convene/api/db/client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { joinBot, publishTone, type TBot } from './support/bots';
import {
  createRoomViaUi,
  launchChromium,
  newBlockedMediaContext,
  newMediaContext,
  saveScreenshot,
} from './support/browser';
import { testEnv } from './support/env';
import { uniqueRoom } from './support/tokens';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

const db = createDb(testEnv.databaseUrl, { poolSize: 2 });
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await db.$disconnect();
});

async function openPage(viewport: { width: number; height: number }): Promise<Page> {
  const context = await newMediaContext(browser, viewport);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.warn(`[page error] ${error.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error' && msg.type() !== 'warning') return;
    // Tokens appear in LiveKit's WebSocket URLs: keep them out of CI logs.
    const text = msg
      .text()
      .replace(/access_token=[^&\s']+/g, 'access_token=…')
      .slice(0, 300);
    console.warn(`[console ${msg.type()}] ${text}`);
  });
  return page;
}

const tileSelector = (identity: string) =>
  `[data-testid="participant-tile"][data-identity="${identity}"][data-source="camera"]`;

interface TVideoSample {
  width: number;
  height: number;
  advancedSeconds: number;
  framesIn1500ms: number;
}

// Browser-side probes are plain JavaScript strings: this TS program has no DOM types.
const hasDecodedFrame = (sel: string) => `(() => {
  const video = document.querySelector(${JSON.stringify(sel)});
  return !!video && video.videoWidth > 0 && video.readyState >= 2;
})()`;

const sampleVideo = (sel: string) => `(async () => {
  const video = document.querySelector(${JSON.stringify(sel)});
  const startTime = video.currentTime;
  let frames = 0;
  const count = () => { frames++; video.requestVideoFrameCallback(count); };
  video.requestVideoFrameCallback(count);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return {
    width: video.videoWidth,
    height: video.videoHeight,
    advancedSeconds: video.currentTime - startTime,
    framesIn1500ms: frames,
  };
})()`;

/**
 * Proves a <video> is really playing decoded frames, using only the DOM: it has a size, its
 * currentTime advances and requestVideoFrameCallback reports new frames over 1.5 s.
 */
async function measureVideo(page: Page, videoSelector: string): Promise<TVideoSample> {
  await page.waitForFunction(hasDecodedFrame(videoSelector), undefined, { timeout: 30_000 });
  return (await page.evaluate(sampleVideo(videoSelector))) as TVideoSample;
}

async function expectDecoding(page: Page, videoSelector: string) {
  const stats = await measureVideo(page, videoSelector);
  expect(stats.width).toBeGreaterThan(0);
  expect(stats.advancedSeconds).toBeGreaterThan(0.5);
  expect(stats.framesIn1500ms).toBeGreaterThan(5);
  return stats;
}

/** Sets window.__conveneSawReconnecting once the reconnecting banner has been in the DOM. */
const WATCH_RECONNECTING_BANNER = `(() => {
  window.__conveneSawReconnecting = false;
  const seen = () => !!document.querySelector('[data-testid="reconnecting-banner"]');
  new MutationObserver(() => { if (seen()) window.__conveneSawReconnecting = true; })
    .observe(document.body, { childList: true, subtree: true });
})()`;

/** Pre-join → Join; returns this person's identity (from their own tile). */
async function joinFromPreJoin(page: Page, name: string, screenshot: string): Promise<string> {
  await expectDecoding(page, '[data-testid="preview-video"]');
  await page.getByTestId('display-name').fill(name);
  await saveScreenshot(page, screenshot);
  await page.getByTestId('join').click();
  const ownTile = page
    .locator('[data-testid="participant-tile"][data-local="true"][data-identity^="p-"]')
    .first();
  await ownTile.waitFor({ timeout: 30_000 });
  const identity = await ownTile.getAttribute('data-identity');
  expect(identity).toMatch(/^p-[0-9a-f]{16}$/);
  return identity!;
}

describe('meeting UI', () => {
  test('two people meet: create via landing, join by pasted link, see each other, survive a blip, focus, mute, share screen, leave', async () => {
    const ada = await openPage(DESKTOP);
    const grace = await openPage(PHONE);

    // Landing: inline validation, then "New meeting" creates a room and opens its pre-join.
    await ada.goto('/');
    await ada.getByTestId('new-meeting').waitFor();
    await saveScreenshot(ada, 'landing-desktop');
    await ada.getByTestId('room-name').fill('not valid!');
    await ada.getByTestId('join-room').click();
    await expect
      .poll(() => ada.getByTestId('room-name-error').textContent())
      .toContain('letters, digits and single hyphens');
    await ada.getByTestId('new-meeting').click();
    await ada.waitForURL(/\/r\/[a-z0-9-]+$/, { timeout: 15_000 });
    const slug = new URL(ada.url()).pathname.split('/').pop()!;

    // Ada goes first: the room's creator is its host.
    const adaIdentity = await joinFromPreJoin(ada, 'Ada Lovelace', 'prejoin-desktop');
    await expect.poll(() => ada.getByTestId('my-role').textContent()).toBe('Host');
    await ada.getByTestId('video-grid').waitFor();
    await ada.getByTestId('alone-hint').waitFor();
    await saveScreenshot(ada, 'room-alone-desktop');

    // Grace pastes the full meeting link into the landing page on her phone.
    await grace.goto('/');
    await grace.getByTestId('room-name').waitFor();
    await saveScreenshot(grace, 'landing-phone');
    await grace.getByTestId('room-name').fill(`${testEnv.webUrl}/r/${slug}?from=chat`);
    await grace.getByTestId('join-room').click();
    await grace.waitForURL(new RegExp(`/r/${slug}$`), { timeout: 15_000 });
    const graceIdentity = await joinFromPreJoin(grace, 'Grace Hopper', 'prejoin-phone');
    expect(graceIdentity).not.toBe(adaIdentity);
    await expect.poll(() => grace.getByTestId('my-role').textContent()).toBe('Participant');

    // Each one's browser decodes the other's camera.
    const adaSeesGrace = await expectDecoding(ada, `${tileSelector(graceIdentity)} video`);
    const graceSeesAda = await expectDecoding(grace, `${tileSelector(adaIdentity)} video`);
    console.log(
      `[meeting] ada sees grace ${adaSeesGrace.width}x${adaSeesGrace.height} ${adaSeesGrace.framesIn1500ms} frames/1.5s; ` +
        `grace sees ada ${graceSeesAda.width}x${graceSeesAda.height} ${graceSeesAda.framesIn1500ms} frames/1.5s`,
    );
    await expect.poll(() => ada.getByTestId('participant-count').textContent()).toBe('2 people');
    expect(await ada.getByTestId('alone-hint').count()).toBe(0);
    await expect
      .poll(() => ada.locator('[data-testid="participant-tile"] .lk-connection-quality').count())
      .toBe(2);
    await saveScreenshot(ada, 'room-desktop');
    await saveScreenshot(grace, 'room-phone');

    // A network blip on Grace's side: the banner shows, she is not dropped, media resumes.
    await grace.evaluate(WATCH_RECONNECTING_BANNER);
    const offlineAt = Date.now();
    await grace.context().setOffline(true);
    await grace.waitForFunction('window.__conveneSawReconnecting === true', undefined, { timeout: 30_000 });
    const bannerAfterMs = Date.now() - offlineAt;
    await saveScreenshot(grace, 'room-reconnecting-phone');
    const onlineAt = Date.now();
    await grace.context().setOffline(false);
    await grace.getByTestId('reconnecting-banner').waitFor({ state: 'detached', timeout: 30_000 });
    console.log(
      `[meeting] offline → banner after ${bannerAfterMs} ms; online → reconnected after ${Date.now() - onlineAt} ms`,
    );
    expect(await grace.getByTestId('leave').isVisible()).toBe(true);
    await expectDecoding(grace, `${tileSelector(adaIdentity)} video`);
    await expectDecoding(ada, `${tileSelector(graceIdentity)} video`);

    // Focus: Grace large in Ada's view, then back to the grid.
    await ada.locator(tileSelector(graceIdentity)).getByTestId('focus-toggle').click();
    const focused = ada.locator(
      `[data-testid="focus-view"] ${tileSelector(graceIdentity)}[data-focused="true"]`,
    );
    await focused.waitFor({ timeout: 10_000 });
    await expectDecoding(ada, `[data-testid="focus-view"] ${tileSelector(graceIdentity)} video`);
    // Large: most of the stage's width (a side panel may take part of the window).
    const focusBox = (await focused.boundingBox())!;
    const stageBox = (await ada.getByTestId('focus-view').boundingBox())!;
    expect(focusBox.width).toBeGreaterThan(stageBox.width * 0.6);
    await saveScreenshot(ada, 'room-focus-desktop');
    await focused.getByTestId('focus-toggle').click();
    await ada.getByTestId('video-grid').waitFor({ timeout: 10_000 });

    // Mute: Ada turns her microphone off, Grace sees the muted icon on Ada's tile.
    // (the muted icon is only rendered while muted)
    const adaMutedOnGrace = grace.locator(
      `${tileSelector(adaIdentity)} .lk-track-muted-indicator-microphone[data-lk-muted="true"]`,
    );
    expect(await adaMutedOnGrace.count()).toBe(0);
    await ada.locator('.cv-room-toolbar button[data-lk-source="microphone"]').click();
    await adaMutedOnGrace.waitFor({ timeout: 10_000 });

    // Screen share: Ada shares, Grace's view focuses it automatically and decodes it.
    await ada.locator('.cv-room-toolbar button[data-lk-source="screen_share"]').click();
    const sharedScreen = `[data-testid="focus-view"] [data-testid="participant-tile"][data-identity="${adaIdentity}"][data-source="screen_share"]`;
    await grace.locator(sharedScreen).waitFor({ timeout: 20_000 });
    const screenStats = await expectDecoding(grace, `${sharedScreen} video`);
    console.log(`[meeting] grace sees ada's screen ${screenStats.width}x${screenStats.height}`);
    await saveScreenshot(grace, 'room-screenshare-phone');
    await ada.locator('.cv-room-toolbar button[data-lk-source="screen_share"]').click();
    await grace.getByTestId('video-grid').waitFor({ timeout: 15_000 });

    // Leave: back on the landing page; the other side sees one person left.
    await ada.getByTestId('leave').click();
    await ada.waitForURL(`${testEnv.webUrl}/`, { timeout: 15_000 });
    await ada.getByTestId('new-meeting').waitFor();
    await grace.locator(tileSelector(adaIdentity)).waitFor({ state: 'detached', timeout: 15_000 });
    await expect.poll(() => grace.getByTestId('participant-count').textContent()).toBe('1 person');
    await grace.getByTestId('leave').click();
    await grace.waitForURL(`${testEnv.webUrl}/`, { timeout: 15_000 });
  }, 180_000); // two WebRTC tabs on a shared 2-core box, plus a ~15 s ping timeout for the blip

  test('pre-join shows the API error of a locked room and keeps the user there', async () => {
    const slug = uniqueRoom('locked');
    await db.room.create({ data: { slug, displayName: slug, hostSessionHash: null, locked: true } });
    const page = await openPage(PHONE);
    await page.goto(`/r/${slug}`);
    await page.getByTestId('display-name').fill('Late Comer');
    await page.getByTestId('join').click();
    const error = page.getByTestId('join-error');
    await error.waitFor({ timeout: 15_000 });
    expect(await error.textContent()).toMatch(/locked.*Ask the host to unlock/i);
    expect(await page.getByTestId('join').isEnabled()).toBe(true);
    expect(new URL(page.url()).pathname).toBe(`/r/${slug}`);
    await saveScreenshot(page, 'prejoin-locked-phone');
    // The display name is remembered for the next visit.
    await page.reload();
    await expect.poll(() => page.getByTestId('display-name').inputValue()).toBe('Late Comer');
  });

  test('at phone width the grid shows 2x2 and pages from the fifth person on', async () => {
    const slug = uniqueRoom('paging');
    const page = await openPage(PHONE);
    await page.goto(`/r/${slug}`);
    await joinFromPreJoin(page, 'Phone User', 'prejoin-paging-phone');
    const bots: TBot[] = [];
    try {
      for (let i = 1; i <= 4; i++) bots.push(await joinBot(slug, `bot-paging-${i}`));
      await expect
        .poll(() => page.getByTestId('participant-count').textContent(), { timeout: 15_000 })
        .toBe('5 people');
      await page.getByTestId('grid-pager').waitFor({ timeout: 10_000 });
      expect(await page.getByTestId('grid-page').textContent()).toBe('1 / 2');
      const tiles = page.locator('[data-testid="video-grid"] [data-testid="participant-tile"]');
      await expect.poll(() => tiles.count()).toBe(4);
      // Two columns: the four tiles sit at two distinct x positions and two distinct y positions.
      const boxes = await Promise.all([0, 1, 2, 3].map(async (i) => (await tiles.nth(i).boundingBox())!));
      expect(new Set(boxes.map((b) => Math.round(b.x))).size).toBe(2);
      expect(new Set(boxes.map((b) => Math.round(b.y))).size).toBe(2);
      await saveScreenshot(page, 'room-paging-phone');
      // Speaker highlight: a bot starts talking (a tone), its tile gets LiveKit's speaking outline.
      await publishTone(bots[0]!.room, 440);
      await page
        .locator('[data-testid="participant-tile"][data-identity="bot-paging-1"][data-lk-speaking="true"]')
        .waitFor({ timeout: 15_000 });
      await saveScreenshot(page, 'room-speaking-phone');
      await page.getByTestId('grid-next-page').click();
      expect(await page.getByTestId('grid-page').textContent()).toBe('2 / 2');
      await expect.poll(() => tiles.count()).toBe(1);
    } finally {
      await Promise.all(bots.map((b) => b.disconnect()));
    }
  });

  test('a browser that blocks camera and microphone is told why, joins without them and stays in', async () => {
    const blockingBrowser = await launchChromium({ autoAcceptMedia: false });
    try {
      const context = await newBlockedMediaContext(blockingBrowser, DESKTOP);
      const page = await context.newPage();
      await createRoomViaUi(page);
      await expect
        .poll(() => page.getByTestId('device-error').textContent(), { timeout: 15_000 })
        .toMatch(/blocks the camera and microphone for this site.*site settings.*join without them/);
      expect(await page.getByTestId('preview-status').textContent()).toBe('Camera unavailable');
      await saveScreenshot(page, 'prejoin-devices-blocked-desktop');

      await page.getByTestId('display-name').fill('Blocked Bea');
      await page.getByTestId('join').click();
      const ownTile = page.locator('[data-testid="participant-tile"][data-local="true"]');
      await ownTile.waitFor({ timeout: 30_000 });
      // Before the fix, publishing the refused devices dropped the user back to pre-join.
      await page.waitForTimeout(3000);
      expect(await ownTile.count()).toBe(1);
      expect(await page.getByTestId('join-error').count()).toBe(0);

      // Asking for the camera in the room says why it stays off, without leaving the meeting.
      await page.locator('.cv-controls button[data-lk-source="camera"]').first().click();
      const warning = page.getByTestId('device-warning');
      await expect.poll(() => warning.textContent(), { timeout: 10_000 }).toMatch(/blocks the camera/);
      await page.setViewportSize(PHONE);
      await page.getByTestId('panel-close').click(); // on a phone the open chat covers the stage
      await saveScreenshot(page, 'room-device-blocked-phone');
      await warning.getByRole('button', { name: 'Dismiss' }).click();
      expect(await warning.count()).toBe(0);
      expect(await ownTile.count()).toBe(1);
    } finally {
      await blockingBrowser.close();
    }
  });
});
