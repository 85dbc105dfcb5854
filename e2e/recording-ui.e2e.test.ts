// Recording as people and admins see it, in real Chromium against the real platform with the real
// embedded recorder (rtc-node + ffmpeg): someone waiting on pre-join is told the meeting is being
// recorded before publishing anything; the admin console lists the finished file, plays it
// inline (byte ranges), serves it only to admins, and deletes it with an audit entry.
import { existsSync } from 'node:fs';
import { createDb } from '@convene/api/db/client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedAdmin } from './support/admin';
import { eventually } from './support/api-client';
import {
  createRoomViaUi,
  joinViaPrejoin,
  launchChromium,
  recordingIndicatorTimer,
  saveScreenshot,
} from './support/browser';
import { testEnv } from './support/env';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
/** The realtime server checks the Origin against PUBLIC_URL (localhost in tests). */
const PUBLIC_URL = testEnv.webUrl.replace('//127.0.0.1:', '//localhost:');

let browser: Browser;
const contexts: BrowserContext[] = [];
const db = createDb(testEnv.databaseUrl, { poolSize: 2 });

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await db.$disconnect();
});

async function openPage(viewport: { width: number; height: number }, withMedia = true): Promise<Page> {
  const context = await browser.newContext({ viewport, baseURL: PUBLIC_URL });
  if (withMedia) await context.grantPermissions(['camera', 'microphone'], { origin: PUBLIC_URL });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.warn(`[page error] ${error.message}`));
  return page;
}

async function signInAdmin(admin: { email: string; password: string }, viewport = DESKTOP): Promise<Page> {
  const page = await openPage(viewport, false);
  await page.goto('/admin/recordings');
  await page.waitForURL(/\/admin\/login/);
  await page.fill('input[name=email]', admin.email);
  await page.fill('input[name=password]', admin.password);
  await page.click('button[type=submit]');
  // The console layout's redirect names /admin as `next`, whatever page was asked for.
  await page.waitForURL((u) => !u.pathname.startsWith('/admin/login'), { timeout: 15_000 });
  await page.goto('/admin/recordings');
  await page.getByTestId('recordings').waitFor();
  return page;
}

/** The parts of HTMLVideoElement the test reads (the e2e tsconfig has no DOM lib). */
interface TVideo {
  readyState: number;
  duration: number;
  currentTime: number;
  muted: boolean;
  videoWidth: number;
  videoHeight: number;
  play(): Promise<void>;
}

const statusOf = async (slug: string) =>
  (await (await fetch(`${PUBLIC_URL}/api/rooms/${slug}/status`)).json()) as Record<string, unknown>;

describe('recording in the UI', () => {
  test('pre-join consent notice, indicator within 1 s, admin playback with ranges, delete', async () => {
    const host = await openPage(DESKTOP);
    const guest = await openPage(PHONE);
    const slug = await createRoomViaUi(host);
    await joinViaPrejoin(host, 'Ada Lovelace');
    await guest.goto(`/r/${slug}`);
    await joinViaPrejoin(guest, 'Grace Hopper');

    // A third person waits on pre-join: once the status has been read, no notice (not recording).
    const waiting = await openPage(PHONE);
    const firstStatus = waiting.waitForResponse(
      (r) => new URL(r.url()).pathname === `/api/rooms/${slug}/status` && r.status() === 200,
    );
    await waiting.goto(`/r/${slug}`);
    await firstStatus;
    await waiting.getByTestId('join').waitFor();
    expect(await waiting.getByTestId('recording-consent').count()).toBe(0);
    expect(await statusOf(slug)).toEqual({ exists: true, recording: false, locked: false, lobby: false });
    // The slug is validated (problem+json 400); an unknown room is reported, not created.
    const invalid = await fetch(`${PUBLIC_URL}/api/rooms/Not_a_room!/status`);
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { code: string }).code).toBe('VALIDATION_FAILED');
    const unknown = `${slug}-nobody`;
    expect(await statusOf(unknown)).toEqual({ exists: false, recording: false, locked: false, lobby: false });
    expect(await db.room.count({ where: { slug: unknown } })).toBe(0);

    // The host clicks Record: the guest's indicator within 1 s (it shows from `starting`, once the
    // server accepted; `recording` follows when the recorder's ffmpeg runs), the waiting page's
    // notice within a few seconds (it polls).
    const timer = recordingIndicatorTimer(host, guest);
    await timer.arm();
    const clickedAt = Date.now();
    await host.getByTestId('recording-toggle').click();
    const indicator = guest.getByTestId('recording-indicator');
    await indicator.waitFor({ timeout: 5_000 });
    const indicatorAfterMs = await timer.indicatorAfterMs();
    expect(indicatorAfterMs).toBeGreaterThanOrEqual(0);
    expect(indicatorAfterMs).toBeLessThan(1_000);
    await guest
      .locator('[data-testid="recording-indicator"][data-state="recording"]')
      .waitFor({ timeout: 10_000 });
    const recordingAfterMs = await timer.recordingAfterMs();
    expect(await indicator.textContent()).toBe('Recording');
    const notice = waiting.getByTestId('recording-consent');
    await notice.waitFor({ timeout: 5_000 });
    const noticeAfterMs = Date.now() - clickedAt;
    expect(noticeAfterMs).toBeLessThan(5_000);
    expect(await notice.locator('h2').textContent()).toBe('This meeting is being recorded');
    expect(await notice.textContent()).toContain('By joining you consent to being recorded');
    expect(await waiting.getByTestId('join').getAttribute('aria-describedby')).toBe(
      await notice.getAttribute('id'),
    );
    expect(await notice.isVisible()).toBe(true);
    // The public status says only what pre-join needs: no names, identities or counts.
    const status = await statusOf(slug);
    expect(status).toEqual({ exists: true, recording: true, locked: false, lobby: false });
    // Waiting on pre-join publishes nothing: the host still sees two people.
    expect(await host.getByTestId('participant-count').textContent()).toContain('2');
    await expect
      .poll(() => notice.boundingBox().then((b) => (b ? b.y + b.height : 1e9)))
      .toBeLessThan(PHONE.height);
    await saveScreenshot(waiting, 'recording-prejoin-notice-phone');
    await waiting.setViewportSize(DESKTOP);
    await saveScreenshot(waiting, 'recording-prejoin-notice-desktop');
    console.log(
      `[recording-ui] indicator after ${indicatorAfterMs} ms, 'recording' after ${recordingAfterMs} ms; pre-join notice after ${noticeAfterMs} ms`,
    );

    // Asking to join a room with a lobby: still nothing published, and the notice stays.
    await db.room.update({ where: { slug }, data: { lobbyEnabled: true } });
    await waiting.getByTestId('display-name').fill('Katherine Johnson');
    await waiting.getByTestId('join').click();
    await waiting.locator('[data-testid="lobby-screen"][data-state="waiting"]').waitFor({ timeout: 10_000 });
    await notice.waitFor({ timeout: 5_000 });
    expect((await statusOf(slug)).lobby).toBe(true);
    await saveScreenshot(waiting, 'recording-lobby-notice-desktop');

    // The admin console, signed in while it records: the overview's card shows the room recording
    // and both people publishing (LiveKit's track webhooks), live.
    const admin = await seedAdmin(db, 'rec');
    const page = await signInAdmin(admin);
    await page.goto('/admin');
    const card = page.locator(`[data-room="${slug}"]`);
    await card.locator('[data-testid="room-recording"][data-state="recording"]').waitFor({ timeout: 10_000 });
    await expect
      .poll(() => card.getByTestId('room-publishers').textContent(), { timeout: 10_000 })
      .toBe('2 publishing');
    expect(Number(await page.getByTestId('published-track-count').textContent())).toBeGreaterThanOrEqual(4);
    await saveScreenshot(page, 'admin-overview-recording');
    // The Recordings page lists it as recording, then turns it ready on its own when the host stops.
    const active = await db.recording.findFirstOrThrow({
      where: { room: { slug } },
      orderBy: { startedAt: 'desc' },
    });
    await page.goto('/admin/recordings');
    const row = page.locator(`[data-testid="recording-row"][data-id="${active.id}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.getAttribute('data-state')).toBe('recording');
    await page.locator('[data-testid=sse-state][data-state=open]').waitFor({ timeout: 10_000 });
    let navigations = 0;
    page.on('framenavigated', () => navigations++);

    // Let a few seconds of media into the file, then stop: the notice goes away again.
    await host.waitForTimeout(3_000);
    await host.getByTestId('recording-toggle').click();
    await guest.getByTestId('recording-indicator').waitFor({ state: 'detached', timeout: 10_000 });
    await notice.waitFor({ state: 'detached', timeout: 5_000 });
    const recording = await eventually(
      () => db.recording.findFirst({ where: { room: { slug }, state: 'ready' } }),
      30_000,
      'recording ready',
    );
    expect(recording.id).toBe(active.id);
    expect(recording.filePath).toBeTruthy();
    const filePath = recording.filePath!;
    const size = Number(recording.sizeBytes);
    expect(size).toBeGreaterThan(10_000);

    // The list followed the feed: ready without a reload, listed and playable inline.
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 10_000 }).toBe('ready');
    expect(navigations).toBe(0);
    expect(await row.getAttribute('data-state')).toBe('ready');
    expect(await row.getByTestId('recording-state').textContent()).toBe('ready');
    expect(await row.textContent()).toContain(slug);
    expect(await row.textContent()).toContain('Ada Lovelace');
    // Host and guest were recorded; the person who only waited (pre-join, lobby) was not.
    expect(await row.locator('td[data-label="People"]').textContent()).toBe('2');
    await row.getByTestId('recording-play').click();
    const video = page.getByTestId('recording-video');
    await video.waitFor();
    await page.waitForFunction(
      `document.querySelector('[data-testid="recording-video"]')?.readyState >= 1`,
      null,
      {
        timeout: 15_000,
      },
    );
    const duration = await video.evaluate((el) => (el as unknown as TVideo).duration);
    expect(Number.isFinite(duration)).toBe(true);
    expect(duration).toBeGreaterThan(3);
    const startedAt = await video.evaluate(async (el) => {
      const v = el as unknown as TVideo;
      v.muted = true;
      await v.play();
      return v.currentTime;
    });
    await expect
      .poll(() => video.evaluate((el) => (el as unknown as TVideo).currentTime), { timeout: 10_000 })
      .toBeGreaterThan(startedAt + 0.5);
    // A couple of seconds in, past the black lead-in before the first camera frame reached the recorder.
    await expect
      .poll(() => video.evaluate((el) => (el as unknown as TVideo).currentTime), { timeout: 10_000 })
      .toBeGreaterThan(2.5);
    const frame = await video.evaluate((el) => ({
      w: (el as unknown as TVideo).videoWidth,
      h: (el as unknown as TVideo).videoHeight,
    }));
    expect(frame).toEqual({ w: 640, h: 360 });
    await saveScreenshot(page, 'recording-admin-desktop');

    // The file route: byte ranges for admins (what <video> seeking uses), 401 for anyone else.
    const fileUrl = `/api/admin/recordings/${recording.id}/file`;
    const ranged = await page.request.get(fileUrl, { headers: { range: 'bytes=0-1023' } });
    expect(ranged.status()).toBe(206);
    expect(ranged.headers()['content-range']).toBe(`bytes 0-1023/${size}`);
    expect(ranged.headers()['content-type']).toBe('video/webm');
    const head = await ranged.body();
    expect(head.length).toBe(1024);
    expect(head.subarray(0, 4).toString('hex')).toBe('1a45dfa3'); // EBML magic: a WebM file
    const tail = await page.request.get(fileUrl, { headers: { range: `bytes=${size - 10}-` } });
    expect(tail.status()).toBe(206);
    expect((await tail.body()).length).toBe(10);
    expect((await page.request.get(fileUrl, { headers: { range: `bytes=${size}-` } })).status()).toBe(416);
    const download = await page.request.head(
      (await row.getByTestId('recording-download').getAttribute('href')) ?? '',
    );
    expect(download.status()).toBe(200);
    expect(download.headers()['content-disposition']).toMatch(/^attachment; filename="[\w.-]+\.webm"$/);
    const anonymous = await fetch(`${PUBLIC_URL}${fileUrl}`, { headers: { range: 'bytes=0-1023' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    expect(await anonymous.text()).not.toContain(filePath);

    // Phone width: rows become cards; nothing wider than the screen.
    const phone = await signInAdmin(admin, PHONE);
    const phoneRow = phone.locator(`[data-testid="recording-row"][data-id="${recording.id}"]`);
    await phoneRow.waitFor({ timeout: 10_000 });
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      PHONE.width,
    );
    await saveScreenshot(phone, 'recording-admin-phone');
    // The inline player fits the phone too.
    await phoneRow.getByTestId('recording-play').click();
    await phone.waitForFunction(
      `document.querySelector('[data-testid="recording-video"]')?.readyState >= 1`,
      null,
      {
        timeout: 15_000,
      },
    );
    const playerBox = await phone.getByTestId('recording-video').boundingBox();
    expect(playerBox?.width ?? 0).toBeGreaterThan(300);
    expect((playerBox?.x ?? 0) + (playerBox?.width ?? 1e9)).toBeLessThanOrEqual(PHONE.width);
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      PHONE.width,
    );
    await saveScreenshot(phone, 'recording-admin-player-phone');
    await phone.context().close();

    // Delete: confirm → the row goes, the file is gone from disk, and the audit log says who.
    page.once('dialog', (d) => void d.accept());
    await row.getByTestId('recording-delete').click();
    await row.waitFor({ state: 'detached', timeout: 10_000 });
    expect(existsSync(filePath)).toBe(false);
    expect(await db.recording.count({ where: { id: recording.id } })).toBe(0);
    const audit = await db.auditLog.findFirst({
      where: { action: 'recording.delete', target: recording.id },
    });
    expect(audit).toMatchObject({ actorType: 'admin', actorLabel: admin.email, roomSlug: slug });
    expect((await page.request.get(fileUrl)).status()).toBe(404);
  });
});
