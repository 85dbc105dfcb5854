// Host controls in real Chromium against the real platform: the lobby (knock, admit without a
// reload, deny), live role changes followed by every role-dependent control, a lock that keeps
// people inside, removal and end-for-all screens. Three tabs at most; the waiting ones do no WebRTC.
import { createDb } from '@convene/api/db/client';
import { connectRaw, eventually, firstSync, request } from '@convene/api/realtime/testing';
import { Room, RoomEvent } from '@livekit/rtc-node';
import { RoomServiceClient } from 'livekit-server-sdk';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, newMediaContext, saveScreenshot } from './support/browser';
import { testEnv } from './support/env';
import { mintToken, uniqueRoom } from './support/tokens';

// Wide enough for the full labelled toolbar (below 1,240 px the host controls move into More).
const VIEWPORT = { width: 1280, height: 800 };
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
});

async function openPage(): Promise<Page> {
  const context = await newMediaContext(browser, VIEWPORT);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.warn(`[page error] ${error.message}`));
  page.on('dialog', (dialog) => void dialog.accept());
  return page;
}

const cameraTile = (identity: string) =>
  `[data-testid="participant-tile"][data-identity="${identity}"][data-source="camera"]`;
const decoding = (sel: string) => `(() => {
  const v = document.querySelector(${JSON.stringify(`${sel} video`)});
  return !!v && v.videoWidth > 0 && v.readyState >= 2;
})()`;

async function fillPreJoin(page: Page, name: string) {
  await page.getByTestId('display-name').waitFor({ timeout: 30_000 });
  await page.getByTestId('display-name').fill(name);
  await page.getByTestId('join').click();
}

async function ownIdentity(page: Page): Promise<string> {
  const own = page
    .locator('[data-testid="participant-tile"][data-local="true"][data-identity^="p-"]')
    .first();
  await own.waitFor({ timeout: 30_000 });
  return (await own.getAttribute('data-identity'))!;
}

describe('host controls', () => {
  test('lobby: a guest waits, is admitted without reload and seen within 3 s; another is denied; removal and end screens', async () => {
    const host = await openPage();
    await host.goto('/');
    await host.getByTestId('new-meeting').click();
    await host.waitForURL(/\/r\/[a-z0-9-]+$/, { timeout: 15_000 });
    const slug = new URL(host.url()).pathname.split('/').pop()!;
    await fillPreJoin(host, 'Hana Host');
    const hostIdentity = await ownIdentity(host);
    await expect.poll(() => host.getByTestId('my-role').textContent()).toBe('Host');

    // The host turns the lobby on from the room menu.
    await host.getByTestId('host-menu-toggle').click();
    await host.getByTestId('host-lobby').click();
    await expect.poll(() => host.getByTestId('host-lobby').getAttribute('data-enabled')).toBe('true');

    // Guest: pre-join, then "Waiting to be let in" (no LiveKit connection, no tiles).
    const guest = await openPage();
    await guest.goto(`/r/${slug}`);
    const guestPageLoads: string[] = [];
    guest.on('load', () => guestPageLoads.push(guest.url()));
    await fillPreJoin(guest, 'Gus Guest');
    await guest.locator('[data-testid="lobby-screen"][data-state="waiting"]').waitFor({ timeout: 15_000 });
    expect(await guest.locator('[data-testid="participant-tile"]').count()).toBe(0);

    // The host gets the knock with the name and the count.
    const knock = host.getByTestId('lobby-knock');
    await knock.waitFor({ timeout: 10_000 });
    expect(await knock.getAttribute('data-count')).toBe('1');
    expect(await knock.textContent()).toContain('Gus Guest');
    await saveScreenshot(host, 'host-knock');

    const admittedAt = Date.now();
    await host
      .locator('[data-testid="lobby-entry"][data-name="Gus Guest"] [data-testid="lobby-admit"]')
      .click();
    const guestIdentity = await ownIdentity(guest);
    await Promise.all([
      guest.waitForFunction(decoding(cameraTile(hostIdentity)), undefined, { timeout: 3_000 }),
      host.waitForFunction(decoding(cameraTile(guestIdentity)), undefined, { timeout: 3_000 }),
    ]);
    const seenMs = Date.now() - admittedAt;
    console.log(`[host-controls] admitted → both see each other in ${seenMs} ms`);
    expect(seenMs).toBeLessThan(3_000);
    expect(guestPageLoads).toEqual([]); // no reload
    expect(await host.getByTestId('lobby-knock').count()).toBe(0);

    // A third person is denied and told so.
    const denied = await openPage();
    await denied.goto(`/r/${slug}`);
    await fillPreJoin(denied, 'Dee Denied');
    await denied.locator('[data-testid="lobby-screen"][data-state="waiting"]').waitFor({ timeout: 15_000 });
    await host
      .locator('[data-testid="lobby-entry"][data-name="Dee Denied"] [data-testid="lobby-deny"]')
      .click();
    await denied.getByTestId('lobby-denied').waitFor({ timeout: 5_000 });
    await saveScreenshot(denied, 'lobby-denied');
    await denied.context().close();

    const row = host.locator(`[data-testid="host-participant"][data-identity="${guestIdentity}"]`);
    await row.waitFor({ timeout: 10_000 });
    // Mute from the participant menu: the guest is told who did it.
    await row.getByTestId('host-mute-mic').click();
    await guest
      .locator('[data-testid="moderation-notice"]', { hasText: 'Hana Host muted your microphone' })
      .waitFor({ timeout: 5_000 });
    // Live role change: the guest's UI follows without rejoining — every control that depends on
    // the role (host menu, Record button, hand queue), and the badge in the host's people panel.
    // The host panel floats over the toolbar's right end and the side panel (it even covers its
    // own toggle once it lists people): the host's clicks there go to the buttons directly.
    const showPeople = async (page: Page) => {
      // The toggle opens the chat tab, or closes the panel when chat is showing.
      if ((await page.getByTestId('panel-toggle').getAttribute('aria-pressed')) !== 'true')
        await page.getByTestId('panel-toggle').dispatchEvent('click');
      await page.getByTestId('tab-people').dispatchEvent('click');
    };
    await showPeople(host);
    await showPeople(guest);
    const guestBadge = host.locator(
      `[data-testid="presence-row"][data-identity="${guestIdentity}"] [data-role]`,
    );
    await expect.poll(() => guestBadge.getAttribute('data-role'), { timeout: 10_000 }).toBe('participant');
    await guest.getByTestId('people-panel').waitFor({ timeout: 5_000 });
    expect(await guest.getByTestId('recording-toggle').count()).toBe(0);
    expect(await guest.getByTestId('hand-queue').count()).toBe(0);
    await row.getByTestId('host-role').selectOption('host');
    await expect.poll(() => guest.getByTestId('my-role').textContent(), { timeout: 5_000 }).toBe('Host');
    await Promise.all([
      guest.getByTestId('host-menu-toggle').waitFor({ timeout: 5_000 }),
      guest.getByTestId('recording-toggle').waitFor({ timeout: 5_000 }),
      guest.getByTestId('hand-queue').waitFor({ timeout: 5_000 }),
      expect.poll(() => guestBadge.getAttribute('data-role'), { timeout: 5_000 }).toBe('host'),
    ]);
    await saveScreenshot(guest, 'promoted-to-host');
    await row.getByTestId('host-role').selectOption('participant');
    await expect
      .poll(() => guest.getByTestId('my-role').textContent(), { timeout: 5_000 })
      .toBe('Participant');
    await Promise.all([
      guest.getByTestId('host-menu-toggle').waitFor({ state: 'detached', timeout: 5_000 }),
      guest.getByTestId('recording-toggle').waitFor({ state: 'detached', timeout: 5_000 }),
      guest.getByTestId('hand-queue').waitFor({ state: 'detached', timeout: 5_000 }),
      expect.poll(() => guestBadge.getAttribute('data-role'), { timeout: 5_000 }).toBe('participant'),
    ]);

    // Lock: the guest, inside, still gets a fresh token (what the token refresh asks); a newcomer
    // is refused with 423.
    await host.getByTestId('host-lock').click();
    await expect.poll(() => host.getByTestId('host-lock').getAttribute('data-locked')).toBe('true');
    const requestToken = (page: Page, name: string) =>
      page.evaluate(
        async ([room, displayName]) => {
          const res = await fetch(`/api/rooms/${room}/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ name: displayName }),
          });
          const body = (await res.json()) as { state?: string; code?: string };
          return { status: res.status, state: body.state, code: body.code };
        },
        [slug, name] as const,
      );
    expect(await requestToken(guest, 'Gus Guest')).toEqual({ status: 200, state: 'joined', code: undefined });
    const newcomer = await openPage();
    await newcomer.goto(`/r/${slug}`);
    expect(await requestToken(newcomer, 'Nia New')).toMatchObject({ status: 423, code: 'ROOM_LOCKED' });
    await newcomer.context().close();
    await host.getByTestId('host-lock').click();
    await expect.poll(() => host.getByTestId('host-lock').getAttribute('data-locked')).toBe('false');

    // Removal: the guest's browser leaves within 2 s and says why.
    const removedAt = Date.now();
    await row.getByTestId('host-remove').click();
    await guest.locator('[data-testid="moderation-screen"][data-kind="removed"]').waitFor({ timeout: 2_000 });
    expect(Date.now() - removedAt).toBeLessThan(2_000);
    expect(await guest.locator('[data-testid="participant-tile"]').count()).toBe(0);
    await saveScreenshot(guest, 'removed');
    // Trying again from the start page: refused for this meeting.
    await guest.goto(`/r/${slug}`);
    await fillPreJoin(guest, 'Gus Guest');
    await guest.getByTestId('join-error').waitFor({ timeout: 10_000 });
    expect(await guest.getByTestId('join-error').textContent()).toContain('removed');
    await expect.poll(() => host.locator(cameraTile(guestIdentity)).count(), { timeout: 10_000 }).toBe(0);

    // End for all.
    await host.getByTestId('host-end').click();
    await host.locator('[data-testid="moderation-screen"][data-kind="ended"]').waitFor({ timeout: 5_000 });
    await saveScreenshot(host, 'ended');
  });

  test('a removed participant reusing its old LiveKit token is put out again (webhook), and the realtime service refuses it', async () => {
    const db = createDb(testEnv.databaseUrl, { poolSize: 2 });
    const slug = uniqueRoom('removed-rejoin');
    try {
      await db.room.create({ data: { slug, displayName: slug } });
      const oldToken = await mintToken(slug, 'bot-rex', 'participant', 'Rex');
      const rex = new Room();
      await rex.connect(testEnv.livekitUrl, oldToken, { autoSubscribe: false, dynacast: true });
      const livekit = new RoomServiceClient(
        testEnv.livekitUrl.replace(/^ws/, 'http'),
        testEnv.livekitApiKey,
        testEnv.livekitApiSecret,
      );
      await eventually(
        async () => (await livekit.listParticipants(slug)).some((p) => p.identity === 'bot-rex'),
        10_000,
        'the bot listed by LiveKit',
      );
      const host = await connectRaw(testEnv.realtimeUrl, await mintToken(slug, 'host-hal', 'host', 'Hal'));
      await firstSync(host);
      const dropped = new Promise((resolve) => rex.once(RoomEvent.Disconnected, resolve));
      const removed = await request(host, 'moderation:remove', { identity: 'bot-rex' });
      expect(removed, JSON.stringify(removed)).toMatchObject({ ok: true });
      await dropped;

      // Back with the same token: LiveKit lets it in, the participant_joined webhook puts it out.
      const again = new Room();
      let outAt = 0;
      again.once(RoomEvent.Disconnected, () => {
        outAt = Date.now();
      });
      const joinedAt = Date.now();
      await again
        .connect(testEnv.livekitUrl, oldToken, { autoSubscribe: false, dynacast: true })
        .catch(() => {
          outAt = Date.now();
        });
      await eventually(() => outAt > 0, 10_000, 'the rejoined participant removed again');
      console.log(`[host-controls] old-token rejoin removed after ${outAt - joinedAt} ms`);
      const realtime = await connectRaw(testEnv.realtimeUrl, oldToken).then(
        () => 'connected',
        (error: { data?: { code?: string } }) => error.data?.code,
      );
      expect(realtime).toBe('FORBIDDEN');
      host.close();
      await again.disconnect().catch(() => undefined);
    } finally {
      await db.$disconnect();
    }
  });
});
