import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { testEnv } from './env';

/**
 * Debian Chromium with a fake camera/mic, kept on loopback and off every Google service.
 * `autoAcceptMedia: false` drops the flag that answers every camera/microphone prompt with yes,
 * so a context's own permission settings (see denyMediaPermissions) decide.
 */
export function launchChromium({ autoAcceptMedia = true } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: testEnv.chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(autoAcceptMedia ? ['--use-fake-ui-for-media-stream'] : []),
      '--use-fake-device-for-media-stream',
      '--allow-loopback-in-peer-connection',
      '--disable-features=WebRtcHideLocalIpsWithMdns',
      '--force-webrtc-ip-handling-policy=default',
    ],
  });
}

export async function newMediaContext(
  browser: Browser,
  viewport = { width: 1280, height: 800 },
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport, baseURL: testEnv.webUrl });
  await context.grantPermissions(['camera', 'microphone'], { origin: testEnv.webUrl });
  return context;
}

/**
 * A context whose site settings block the camera and microphone, as a user who pressed "Block"
 * has (needs a browser from launchChromium({ autoAcceptMedia: false })).
 */
export async function newBlockedMediaContext(
  browser: Browser,
  viewport = { width: 1280, height: 800 },
): Promise<BrowserContext> {
  const cdp = await browser.newBrowserCDPSession();
  const { browserContextIds: before } = await cdp.send('Target.getBrowserContexts');
  const context = await browser.newContext({ viewport, baseURL: testEnv.webUrl });
  const { browserContextIds: after } = await cdp.send('Target.getBrowserContexts');
  const [contextId] = after.filter((id) => !before.includes(id));
  for (const name of ['camera', 'microphone']) {
    await cdp.send('Browser.setPermission', {
      permission: { name },
      setting: 'denied',
      origin: testEnv.webUrl,
      ...(contextId ? { browserContextId: contextId } : {}),
    });
  }
  await cdp.detach();
  return context;
}

/** Saves a screenshot under .artifacts/screenshots (kept by CI as a test artifact). */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const dir = join(testEnv.artifactsDir, 'screenshots');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** Landing → New meeting → pre-join; returns the room slug. */
export async function createRoomViaUi(page: Page): Promise<string> {
  await page.goto('/');
  await page.getByTestId('new-meeting').click();
  await page.waitForURL(/\/r\/[a-z0-9-]+$/, { timeout: 15_000 });
  return new URL(page.url()).pathname.split('/').pop()!;
}

/**
 * Pre-join → Join; resolves with this person's identity once they are in the room and the
 * realtime link is up (the raise-hand button is enabled only while the socket is connected).
 */
export async function joinViaPrejoin(page: Page, name: string): Promise<string> {
  await page.getByTestId('display-name').fill(name);
  await page.getByTestId('join').click();
  const ownTile = page.locator('[data-testid="participant-tile"][data-local="true"]').first();
  await ownTile.waitFor({ timeout: 30_000 });
  const identity = (await ownTile.getAttribute('data-identity'))!;
  const deadline = Date.now() + 15_000;
  while (!(await page.getByTestId('raise-hand').isEnabled())) {
    if (Date.now() > deadline) throw new Error(`${name}: the realtime link did not come up within 15 s`);
    await page.waitForTimeout(100);
  }
  return identity;
}

/**
 * Times "host clicks Record → the other page's indicator first renders" inside the pages (one
 * machine, one clock), so Playwright's polling and actionability checks are not counted. Call
 * `arm()` before the click and `indicatorAfterMs()` / `recordingAfterMs()` once the indicator is
 * visible (it shows from `starting`; `recording` follows when the recorder is running).
 */
export function recordingIndicatorTimer(host: Page, viewer: Page) {
  return {
    async arm(): Promise<void> {
      await host.evaluate(`document.addEventListener('click', (e) => {
        if (e.target.closest('[data-testid="recording-toggle"]')) window.__recClickAt ??= Date.now();
      }, true)`);
      await viewer.evaluate(`new MutationObserver(() => {
        const el = document.querySelector('[data-testid="recording-indicator"]');
        if (el) window.__recIndicatorAt ??= Date.now();
        if (el?.dataset.state === 'recording') window.__recRecordingAt ??= Date.now();
      }).observe(document.body, { subtree: true, childList: true, attributes: true })`);
    },
    async indicatorAfterMs(): Promise<number> {
      return (
        (await viewer.evaluate<number>('window.__recIndicatorAt')) -
        (await host.evaluate<number>('window.__recClickAt'))
      );
    },
    async recordingAfterMs(): Promise<number> {
      return (
        (await viewer.evaluate<number>('window.__recRecordingAt')) -
        (await host.evaluate<number>('window.__recClickAt'))
      );
    },
  };
}
