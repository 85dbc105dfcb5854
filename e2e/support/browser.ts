import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { testEnv } from './env';

/** Debian Chromium with a fake camera/mic, kept on loopback and off every Google service. */
export function launchChromium(): Promise<Browser> {
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
      '--use-fake-ui-for-media-stream',
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

/** Saves a screenshot under .artifacts/screenshots (kept by CI as a test artifact). */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const dir = join(testEnv.artifactsDir, 'screenshots');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}
