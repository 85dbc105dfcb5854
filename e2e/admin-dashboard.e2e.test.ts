import { createDb } from '@convene/api/db/client';
import { RoomEvent } from '@livekit/rtc-node';
import type { Browser, Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedAdmin } from './support/admin';
import { joinBot, publishTone, type TBot } from './support/bots';
import { launchChromium, saveScreenshot } from './support/browser';
import { testEnv } from './support/env';
import { mintToken, uniqueRoom } from './support/tokens';

const db = createDb(testEnv.databaseUrl, { poolSize: 2 });
let browser: Browser;
let admin: { email: string; password: string };
const bots: TBot[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  admin = await seedAdmin(db, 'ui');
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await Promise.allSettled(bots.map((b) => b.disconnect()));
  await browser?.close();
  await db.$disconnect();
});

async function signIn(viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport, baseURL: testEnv.webUrl });
  const page = await context.newPage();
  await page.goto('/admin');
  await page.waitForURL(/\/admin\/login/);
  await page.fill('input[name=email]', admin.email);
  await page.fill('input[name=password]', admin.password);
  await page.click('button[type=submit]');
  await page.waitForURL((u) => u.pathname === '/admin');
  return page;
}

/** The recharts bar chart rendered: one slot per day of the default 14, axis labels, a non-empty bar. */
async function expectUsageChart(page: Page) {
  const chart = page.locator('[data-testid=usage-chart]');
  await chart.locator('svg.recharts-surface').waitFor();
  expect(await chart.getAttribute('data-days')).toBe('14');
  await expect
    .poll(() => chart.locator('.recharts-xAxis .recharts-cartesian-axis-tick').count())
    .toBeGreaterThanOrEqual(2);
  const heights = await chart
    .locator('.recharts-bar-rectangle path')
    .evaluateAll((paths) =>
      paths.map((p) => (p as unknown as { getBBox(): { height: number } }).getBBox().height),
    );
  expect(Math.max(0, ...heights)).toBeGreaterThan(10);
  const box = await chart.boundingBox();
  expect(box?.width ?? 0).toBeGreaterThan(200);
}

describe('admin dashboard in Chromium', () => {
  test('a bot joining a room appears in the live overview without a reload, within 2 s', async () => {
    const page = await signIn();
    await page.locator('[data-testid=sse-state][data-state=open]').waitFor({ timeout: 10_000 });
    await saveScreenshot(page, 'admin-overview-empty-or-current');
    const room = uniqueRoom('adm-live');
    let navigations = 0;
    page.on('framenavigated', () => navigations++);
    const bot = await joinBot(room, 'live-bot');
    bots.push(bot);
    const joinedAt = Date.now();
    await page.locator(`[data-room="${room}"]`).waitFor({ timeout: 2000 });
    const elapsed = Date.now() - joinedAt;
    expect(elapsed).toBeLessThan(2000);
    expect(navigations).toBe(0);
    const card = page.locator(`[data-room="${room}"]`);
    await expect.poll(() => card.textContent()).toContain('Bot live-bot');
    expect(await card.getByTestId('room-publishers').textContent()).toBe('0 publishing');
    // Publishing and unpublishing follow live too (LiveKit's track webhooks).
    const tracksBefore = Number(await page.getByTestId('published-track-count').textContent());
    const tone = await publishTone(bot.room, 440);
    await expect
      .poll(() => card.getByTestId('room-publishers').textContent(), { timeout: 5_000 })
      .toBe('1 publishing');
    expect(Number(await page.getByTestId('published-track-count').textContent())).toBeGreaterThan(
      tracksBefore,
    );
    await saveScreenshot(page, 'admin-overview-live');
    await tone.stop();
    await expect
      .poll(() => card.getByTestId('room-publishers').textContent(), { timeout: 5_000 })
      .toBe('0 publishing');
    await bot.disconnect();
    // Leaving empties the card live as well (the room card stays until LiveKit closes the room).
    await expect
      .poll(() => page.locator(`[data-room="${room}"]`).textContent(), { timeout: 10_000 })
      .not.toContain('Bot live-bot');
    await page.context().close();
  });

  test('room detail: the admin removes a participant → the bot is disconnected and the audit log shows it', async () => {
    const room = uniqueRoom('adm-mod');
    const bot = await joinBot(room, 'mod-bot');
    bots.push(bot);
    const disconnected = new Promise<void>((resolve) =>
      bot.room.once(RoomEvent.Disconnected, () => resolve()),
    );
    // The bot also has the meeting's chat link open, with its hand up.
    const socket = io(testEnv.realtimeUrl, {
      auth: { token: await mintToken(room, 'mod-bot') },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    expect(await socket.emitWithAck('hand:raise', {})).toMatchObject({ ok: true });
    const page = await signIn();
    await page.goto(`/admin/rooms/${room}`);
    const row = page.locator('tr[data-identity="mod-bot"]');
    await row.waitFor({ timeout: 10_000 });
    // LiveKit's media state and the realtime service's presence, side by side.
    const presence = row.getByTestId('presence');
    await expect.poll(() => presence.getAttribute('data-status'), { timeout: 10_000 }).toBe('online');
    expect(await presence.getAttribute('data-hand')).toBe('1');
    expect(await presence.textContent()).toContain('✋ #1');
    await saveScreenshot(page, 'admin-room-detail');
    page.once('dialog', (d) => void d.accept());
    await row.locator('[data-action=remove]').click();
    await Promise.race([
      disconnected,
      new Promise((_, reject) => setTimeout(() => reject(new Error('bot was not disconnected')), 10_000)),
    ]);
    await expect
      .poll(() => page.locator('[data-testid=audit]').textContent(), { timeout: 10_000 })
      .toContain('room.remove');
    await expect.poll(() => page.locator('[data-testid=audit]').textContent()).toContain('mod-bot');
    const audit = await db.auditLog.findFirst({ where: { roomSlug: room, action: 'room.remove' } });
    expect(audit).toMatchObject({ actorType: 'admin', actorLabel: admin.email, target: 'mod-bot' });
    await saveScreenshot(page, 'admin-room-after-remove');
    await page.context().close();
  });

  test('history, integrations and phone-width screenshots; an API key is shown once', async () => {
    // 90 participant-minutes ending now, so at least one day has a visible bar.
    const slug = uniqueRoom('usage');
    const room = await db.room.create({ data: { slug, displayName: slug } });
    await db.attendance.create({
      data: {
        roomId: room.id,
        identity: 'usage-bot',
        displayName: 'Usage bot',
        role: 'participant',
        livekitParticipantSid: `PA_${slug}`,
        joinedAt: new Date(Date.now() - 90 * 60_000),
        leftAt: new Date(),
      },
    });
    const page = await signIn();
    await page.goto('/admin/history');
    await expectUsageChart(page);
    await saveScreenshot(page, 'admin-history');
    await page.goto('/admin/integrations');
    await page.fill('input[name=name]', 'dashboard test key');
    await page.click('text=Create key');
    const secret = (await page.locator('[data-testid=one-time-secret]').textContent()) ?? '';
    expect(secret).toMatch(/^cvn_/);
    await expect
      .poll(() => page.locator('[data-testid=api-keys]').textContent())
      .toContain('dashboard test key');
    await saveScreenshot(page, 'admin-integrations');
    await page.reload();
    await page.locator('[data-testid=api-keys]').waitFor();
    expect(await page.content()).not.toContain(secret);
    await page.context().close();

    const phone = await signIn({ width: 390, height: 844 });
    await saveScreenshot(phone, 'admin-overview-phone');
    await phone.goto('/admin/history');
    await expectUsageChart(phone);
    await saveScreenshot(phone, 'admin-history-phone');
    const width = await phone.evaluate('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(390);
    await phone.context().close();
  });

  test('a failed load says so and offers Retry instead of loading forever', async () => {
    const page = await signIn();
    // The API answers 500 until the admin retries.
    const failing = (route: {
      fulfill(r: { status: number; contentType: string; body: string }): Promise<void>;
    }) =>
      route.fulfill({
        status: 500,
        contentType: 'application/problem+json',
        body: JSON.stringify({ code: 'INTERNAL', detail: 'Something went wrong on our side.' }),
      });
    await page.route('**/api/admin/api-keys', failing);
    await page.goto('/admin/integrations');
    const banner = page.getByTestId('integrations-load-error');
    await banner.waitFor({ timeout: 10_000 });
    expect(await page.getByText('Loading…').count()).toBe(0);
    expect(await page.getByText('Not loaded.').count()).toBe(2);
    await saveScreenshot(page, 'admin-integrations-load-error');
    await page.unroute('**/api/admin/api-keys', failing);
    await banner.getByRole('button', { name: 'Retry' }).click();
    await banner.waitFor({ state: 'detached', timeout: 10_000 });
    expect(await page.getByText('Not loaded.').count()).toBe(0);
    expect(await page.getByText('Loading…').count()).toBe(0);

    await page.route('**/api/admin/usage?*', failing);
    await page.goto('/admin/history');
    await page.getByRole('alert').getByRole('button', { name: 'Retry' }).waitFor({ timeout: 10_000 });
    expect(await page.getByText('Loading…').count()).toBe(0);
    await page.unroute('**/api/admin/usage?*', failing);
    await page.getByRole('alert').getByRole('button', { name: 'Retry' }).click();
    await expectUsageChart(page);
    await page.context().close();
  });
});
