// The realtime layer of the meeting as people use it, in real Chromium against the real platform
// (Next.js, realtime server, Postgres, livekit-server): chat both ways, typing, raise hand and
// the host's queue, reactions, recording, and a message written offline that arrives once.
import { createDb } from '@convene/api/db/client';
import { postSystemMessage } from '@convene/api/realtime/internal-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createRoomViaUi,
  joinViaPrejoin,
  launchChromium,
  recordingIndicatorTimer,
  saveScreenshot,
} from './support/browser';
import { testEnv } from './support/env';

const DESKTOP = { width: 1280, height: 800 };
/**
 * The address people use: PUBLIC_URL (localhost in tests). The realtime server checks the Origin
 * against it, so browsing the 127.0.0.1 alias would be refused, as it would in production.
 */
const PUBLIC_URL = testEnv.webUrl.replace('//127.0.0.1:', '//localhost:');
const PHONE = { width: 390, height: 844 };
const TABLET = { width: 768, height: 1024 };

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

async function openPage(viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport, baseURL: PUBLIC_URL });
  await context.grantPermissions(['camera', 'microphone'], { origin: PUBLIC_URL });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.warn(`[page error] ${error.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning')
      console.warn(`[console ${msg.type()}] ${msg.text()}`);
  });
  page.on('websocket', (ws) => {
    ws.on('close', () => console.warn(`[websocket closed] ${ws.url()}`));
  });
  return page;
}

/**
 * The toolbar's controls sit on one row inside the viewport (same vertical centre, ±2 px; none
 * past the right edge). Menus (ours, LiveKit's device lists, hidden with `visibility`), host
 * notices and the host panel float and are left out.
 */
async function expectOneToolbarRow(page: Page) {
  const boxes = await page.evaluate<{ name: string; centre: number; right: number }[]>(`
    [...document.querySelectorAll('.cv-room-toolbar button')]
      .filter((b) => b.checkVisibility({ visibilityProperty: true }))
      .filter((b) => !b.closest('[role="menu"], .lk-device-menu, .cv-host-notices, .cv-host-panel'))
      .map((b) => {
        const r = b.getBoundingClientRect();
        const name = b.dataset.testid || b.dataset.lkSource || b.className;
        return { name, centre: Math.round(r.top + r.height / 2), right: Math.round(r.right) };
      })`);
  const viewport = page.viewportSize()!;
  const centres = boxes.map((b) => b.centre);
  const layout = JSON.stringify(boxes);
  expect(boxes.length).toBeGreaterThanOrEqual(5);
  expect(Math.max(...centres) - Math.min(...centres), layout).toBeLessThanOrEqual(2);
  expect(Math.max(...boxes.map((b) => b.right)), layout).toBeLessThanOrEqual(viewport.width);
}

const focusedTestId = (page: Page) =>
  page.evaluate<string | null>('document.activeElement?.getAttribute("data-testid") ?? null');
const focusedRole = (page: Page) =>
  page.evaluate<string | null>('document.activeElement?.getAttribute("role") ?? null');

const messages = (page: Page, text: string) =>
  page.locator('[data-testid="chat-message"]').filter({ hasText: text });

async function sendChat(page: Page, text: string) {
  await page.getByTestId('chat-input').fill(text);
  await page.getByTestId('chat-input').press('Enter');
}

describe('meeting realtime UI', () => {
  test('chat both ways, typing, hand queue, reactions, recording, and an offline message delivered once', async () => {
    const host = await openPage(DESKTOP);
    const guest = await openPage(PHONE);

    const slug = await createRoomViaUi(host);
    const hostIdentity = await joinViaPrejoin(host, 'Ada Lovelace');
    await guest.goto(`/r/${slug}`);
    const guestIdentity = await joinViaPrejoin(guest, 'Grace Hopper');

    // Desktop: the panel is open on Chat; phone: closed (the stage gets the screen).
    await host.getByTestId('chat-panel').waitFor();
    expect(await guest.getByTestId('chat-panel').isVisible()).toBe(false);
    expect(await guest.getByTestId('recording-toggle').count()).toBe(0);
    expect(await host.getByTestId('recording-toggle').count()).toBe(1);

    // Toolbar: everything inline on desktop; one row on phones, the secondary controls in More.
    await expectOneToolbarRow(host);
    expect(await host.getByTestId('toolbar-more').count()).toBe(0);
    await saveScreenshot(host, 'toolbar-desktop');
    await expectOneToolbarRow(guest);
    for (const id of ['raise-hand', 'panel-toggle', 'leave', 'toolbar-more'])
      expect(await guest.getByTestId(id).isVisible(), id).toBe(true);
    for (const source of ['microphone', 'camera']) {
      const toggle = guest.locator(`.cv-room-toolbar button[data-lk-source="${source}"]`);
      expect(await toggle.isVisible(), source).toBe(true);
    }
    expect(await guest.getByTestId('reaction-button').isVisible()).toBe(false);
    await saveScreenshot(guest, 'toolbar-phone');
    const more = guest.getByTestId('toolbar-more');
    const moreMenu = guest.getByTestId('toolbar-more-menu');
    expect(await more.getAttribute('aria-haspopup')).toBe('menu');
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    // Keyboard: Enter opens on the first item, arrows move, Escape closes and returns focus.
    await more.focus();
    await guest.keyboard.press('Enter');
    await moreMenu.waitFor();
    expect(await more.getAttribute('aria-expanded')).toBe('true');
    expect(await moreMenu.getAttribute('role')).toBe('menu');
    expect(await focusedRole(guest)).toBe('menuitem');
    const firstItem = await focusedTestId(guest);
    await guest.keyboard.press('End');
    expect(await focusedTestId(guest)).toBe('reaction-button');
    await guest.keyboard.press('ArrowDown'); // wraps around
    expect(await focusedTestId(guest)).toBe(firstItem);
    await saveScreenshot(guest, 'toolbar-more-phone');
    await guest.keyboard.press('Escape');
    await moreMenu.waitFor({ state: 'hidden' });
    expect(await focusedTestId(guest)).toBe('toolbar-more');
    // A click elsewhere closes it too.
    await more.click();
    await moreMenu.waitFor();
    await guest.getByTestId('room-title').click();
    await moreMenu.waitFor({ state: 'hidden' });
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    // A host on a phone: Record and the host controls are in More as well.
    await host.setViewportSize(PHONE);
    await host.getByTestId('panel-close').click();
    await expectOneToolbarRow(host);
    await saveScreenshot(host, 'toolbar-host-phone');
    await host.getByTestId('toolbar-more').click();
    expect(await host.getByTestId('recording-toggle').isVisible()).toBe(true);
    expect(await host.getByTestId('host-menu-toggle').isVisible()).toBe(true);
    await host.getByTestId('reaction-button').click();
    await host.locator('[data-testid="reaction-option"][data-emoji="👍"]').waitFor();
    await saveScreenshot(host, 'toolbar-host-more-phone');
    await host.keyboard.press('Escape');
    await host.getByTestId('toolbar-more-menu').waitFor({ state: 'hidden' });
    // A tablet in portrait: one toolbar row, nothing wider than the screen, with or without chat.
    await host.setViewportSize(TABLET);
    await expectOneToolbarRow(host);
    expect(await host.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      TABLET.width,
    );
    await saveScreenshot(host, 'toolbar-host-tablet');
    await host.getByTestId('panel-toggle').click();
    await host.getByTestId('chat-panel').waitFor();
    expect(await host.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      TABLET.width,
    );
    const panel = await host.getByTestId('chat-panel').boundingBox();
    expect((panel?.x ?? 0) + (panel?.width ?? 1e9)).toBeLessThanOrEqual(TABLET.width);
    await saveScreenshot(host, 'chat-panel-tablet');
    await host.getByTestId('panel-close').click();
    await host.setViewportSize(DESKTOP);
    await host.getByTestId('panel-toggle').click();
    await host.getByTestId('chat-panel').waitFor();
    expect(await host.getByTestId('recording-toggle').isVisible()).toBe(true);

    // Host → guest: the guest's closed panel shows an unread badge, then the message.
    await sendChat(host, 'Welcome! Agenda: https://example.com/agenda.');
    await expect.poll(() => messages(host, 'Welcome!').getAttribute('data-state')).toBe('sent');
    await expect.poll(() => guest.getByTestId('chat-unread').textContent(), { timeout: 10_000 }).toBe('1');
    await guest.getByTestId('panel-toggle').click();
    await guest.getByTestId('chat-panel').waitFor();
    await expect.poll(() => messages(guest, 'Welcome!').count()).toBe(1);
    expect(await guest.getByTestId('chat-unread').count()).toBe(0);
    // Links are anchors that open safely; the text around them stays text.
    const link = messages(guest, 'Welcome!').locator('a');
    expect(await link.getAttribute('href')).toBe('https://example.com/agenda');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await link.getAttribute('target')).toBe('_blank');

    // Guest types: the host sees "Grace Hopper is typing…"; then guest → host, as text, not HTML.
    await guest.getByTestId('chat-input').pressSequentially('Hi <b>Ada</b>', { delay: 20 });
    await expect
      .poll(() => host.getByTestId('typing-indicator').textContent(), { timeout: 10_000 })
      .toBe('Grace Hopper is typing…');
    await guest.getByTestId('chat-input').press('Enter');
    await expect.poll(() => messages(host, 'Hi <b>Ada</b>').count(), { timeout: 10_000 }).toBe(1);
    expect(await messages(host, 'Hi <b>Ada</b>').locator('b').count()).toBe(0);
    await expect.poll(() => host.getByTestId('typing-indicator').count(), { timeout: 10_000 }).toBe(0);

    // Raise hand: the host sees the guest in the ordered queue and lowers the hand.
    await guest.getByTestId('panel-close').click();
    await guest.getByTestId('raise-hand').click();
    await expect.poll(() => guest.getByTestId('raise-hand').getAttribute('aria-pressed')).toBe('true');
    await host.getByTestId('tab-people').click();
    const queueItem = host.getByTestId('hand-queue').getByTestId('hand-queue-item');
    await expect.poll(() => queueItem.count(), { timeout: 10_000 }).toBe(1);
    expect(await queueItem.getAttribute('data-identity')).toBe(guestIdentity);
    expect(await queueItem.textContent()).toContain('Grace Hopper');
    const hostRow = host.locator(`[data-testid="presence-row"][data-identity="${hostIdentity}"]`);
    const guestRow = host.locator(`[data-testid="presence-row"][data-identity="${guestIdentity}"]`);
    expect(await hostRow.getAttribute('data-state')).toBe('present');
    expect(await guestRow.getAttribute('data-state')).toBe('present');
    expect(await guestRow.getAttribute('data-hand')).toBe('true');
    expect(await hostRow.locator('.cv-badge').textContent()).toBe('Host');
    await saveScreenshot(host, 'realtime-people-desktop');
    await queueItem.getByTestId('lower-hand').click();
    await expect.poll(() => guest.getByTestId('raise-hand').getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => queueItem.count()).toBe(0);
    await host.getByTestId('tab-chat').click();

    // Reactions float over everyone's stage (on the phone, React is in the More menu).
    await guest.getByTestId('toolbar-more').click();
    await guest.getByTestId('reaction-button').click();
    await guest.locator('[data-testid="reaction-option"][data-emoji="🎉"]').click();
    const hostFloat = host.getByTestId('reaction-float').filter({ hasText: '🎉' });
    await hostFloat.first().waitFor({ timeout: 5_000 });
    expect(await hostFloat.first().textContent()).toContain('Grace Hopper');

    // Recording: the host clicks Record; the guest sees the indicator within a second (timed in
    // the pages; it shows from `starting`), then `recording` once the recorder is running.
    const timer = recordingIndicatorTimer(host, guest);
    await timer.arm();
    await host.getByTestId('recording-toggle').click();
    await guest.getByTestId('recording-indicator').waitFor({ timeout: 5_000 });
    const indicatorAfterMs = await timer.indicatorAfterMs();
    expect(indicatorAfterMs).toBeGreaterThanOrEqual(0);
    expect(indicatorAfterMs).toBeLessThan(1_000);
    await guest
      .locator('[data-testid="recording-indicator"][data-state="recording"]')
      .waitFor({ timeout: 10_000 });
    expect(await guest.getByTestId('recording-indicator').textContent()).toBe('Recording');
    await expect.poll(() => host.getByTestId('recording-toggle').textContent()).toBe('Stop recording');
    await saveScreenshot(guest, 'realtime-stage-phone');
    await saveScreenshot(host, 'realtime-chat-desktop');

    // Offline: the guest's message shows pending at once, then goes out exactly once.
    await guest.getByTestId('panel-toggle').click();
    await guest.context().setOffline(true);
    const offlineAt = Date.now();
    // Detected from the browser's offline event, not a ping timeout (~45 s).
    await guest.getByTestId('realtime-banner').waitFor({ timeout: 10_000 });
    const bannerAfterMs = Date.now() - offlineAt;
    const offlineText = `Written offline ${Date.now().toString(36)}`;
    await sendChat(guest, offlineText);
    expect(await messages(guest, offlineText).getAttribute('data-state')).toBe('pending');
    await saveScreenshot(guest, 'realtime-offline-phone');
    // The host sees the guest as reconnecting (the grace period), not gone.
    await expect.poll(() => guestRow.getAttribute('data-state'), { timeout: 10_000 }).toBe('reconnecting');
    await guest.context().setOffline(false);
    const onlineAt = Date.now();
    await expect
      .poll(() => messages(guest, offlineText).getAttribute('data-state'), { timeout: 30_000 })
      .toBe('sent');
    const sentAfterMs = Date.now() - onlineAt;
    await expect.poll(() => messages(host, offlineText).count(), { timeout: 10_000 }).toBe(1);
    await guest.getByTestId('realtime-banner').waitFor({ state: 'detached', timeout: 10_000 });
    await expect.poll(() => guestRow.getAttribute('data-state'), { timeout: 10_000 }).toBe('present');
    // Still exactly one on both sides after everything settled (no late duplicate).
    await host.waitForTimeout(1_000);
    expect(await messages(host, offlineText).count()).toBe(1);
    expect(await messages(guest, offlineText).count()).toBe(1);
    const guestSeq = await messages(guest, offlineText).getAttribute('data-seq');
    expect(await messages(host, offlineText).getAttribute('data-seq')).toBe(guestSeq);
    console.log(
      `[realtime-ui] recording indicator after ${indicatorAfterMs} ms; offline → banner after ${bannerAfterMs} ms; ` +
        `online → sent after ${sentAfterMs} ms`,
    );
    await saveScreenshot(guest, 'realtime-chat-phone');

    // Stop recording: the indicator goes away for everyone.
    await host.getByTestId('recording-toggle').click();
    await guest.getByTestId('recording-indicator').waitFor({ state: 'detached', timeout: 5_000 });
  });

  test('system messages look different and older history loads on scroll to top', async () => {
    const page = await openPage(DESKTOP);
    const slug = await createRoomViaUi(page);
    const config = { realtimeUrl: testEnv.realtimeUrl, livekitApiSecret: testEnv.livekitApiSecret };
    for (let i = 1; i <= 60; i++)
      await postSystemMessage(config, slug, { clientId: `seed-${i}-xxxxxxxx`, text: `Agenda item ${i}` });
    await joinViaPrejoin(page, 'Ada Lovelace');

    const all = page.getByTestId('chat-message');
    // The latest page only (50), newest at the bottom, styled as system messages.
    await expect.poll(() => all.count(), { timeout: 10_000 }).toBe(50);
    expect(await all.last().textContent()).toContain('Agenda item 60');
    expect(await all.last().getAttribute('data-kind')).toBe('system');
    // Scrolling to the top fetches the rest (chat:history beforeSeq) and keeps the order.
    await page.evaluate(`document.querySelector('[data-testid="chat-panel"] ol').scrollTop = 0`);
    await expect.poll(() => all.count(), { timeout: 10_000 }).toBe(60);
    expect(await all.first().textContent()).toContain('Agenda item 1');
    const seqs = await page.evaluate(
      `[...document.querySelectorAll('[data-testid="chat-message"]')].map((el) => Number(el.dataset.seq))`,
    );
    expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    await saveScreenshot(page, 'realtime-history-desktop');
  });

  test('the browser reports its own LiveKit connection quality over the realtime link', async () => {
    const page = await openPage(DESKTOP);
    const slug = await createRoomViaUi(page);
    const identity = await joinViaPrejoin(page, 'Grace Hopper');
    // livekit-server sends ConnectionQualityUpdate a few seconds into the call; QualityReporter
    // forwards the local participant's value as quality:report, stored as a QualitySample.
    await expect
      .poll(
        async () =>
          (
            await db.qualitySample.findMany({
              where: { roomSlug: slug, identity },
              select: { quality: true },
            })
          ).map((s) => s.quality),
        { timeout: 20_000 },
      )
      .toContainEqual(expect.stringMatching(/^(excellent|good|poor|lost)$/));
  });
});
