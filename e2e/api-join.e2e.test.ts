// End to end through the REST API: create a room and a host token, redeem the join link the way
// the room page does, join with it, a bot joins too; the API lists both and signed
// participant.joined webhooks arrive for both; a lock then refuses newcomers but not them. Then the
// same with the joinUrl opened in Chromium.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Room } from '@livekit/rtc-node';
import type { Browser, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiCall, db, eventually, newApiKey } from './support/api-client';
import { joinBot, publishSyntheticVideoBot, type TBot } from './support/bots';
import { launchChromium, newMediaContext, saveScreenshot } from './support/browser';
import { testEnv } from './support/env';

const received: { headers: Record<string, string>; body: string }[] = [];
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({
      headers: req.headers as Record<string, string>,
      body: Buffer.concat(chunks).toString('utf8'),
    });
    res.writeHead(204).end();
  });
});
let key: string;
let hookId: string;
let secret: string;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  key = await newApiKey();
  const hook = await apiCall('POST', '/webhooks', {
    key,
    body: {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/join`,
      eventTypes: ['participant.joined'],
    },
  });
  ({ id: hookId, secret } = hook.body as { id: string; secret: string });
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await apiCall('DELETE', `/webhooks/${hookId}`, { key });
  receiver.close();
  await db.$disconnect();
});

let browser: Browser | undefined;
/** Opens `url` in a fresh context; `errors` collects uncaught page errors (a crash would land there). */
async function openPage(url: string): Promise<{ page: Page; errors: string[] }> {
  browser ??= await launchChromium();
  const context = await newMediaContext(browser);
  cleanups.push(() => context.close());
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  return { page, errors };
}
cleanups.push(async () => browser?.close());

/** The API's joinUrl, on the origin the tests reach the web app at (the realtime server allows it). */
function onWebOrigin(joinUrl: string): string {
  const link = new URL(joinUrl);
  return new URL(`${link.pathname}${link.search}${link.hash}`, testEnv.webUrl).toString();
}

async function newRoom(displayName: string): Promise<string> {
  const created = await apiCall('POST', '/rooms', { key, body: { displayName, maxParticipants: 5 } });
  expect(created.status).toBe(201);
  const room = (created.body as { name: string }).name;
  cleanups.push(() => apiCall('DELETE', `/rooms/${room}`, { key }));
  return room;
}

async function issueJoinUrl(room: string, body: Record<string, unknown>): Promise<string> {
  const issued = await apiCall('POST', `/rooms/${room}/tokens`, { key, body });
  expect(issued.status).toBe(201);
  return onWebOrigin((issued.body as { joinUrl: string }).joinUrl);
}

async function participantsOf(room: string, count: number) {
  return eventually(async () => {
    const res = await apiCall('GET', `/rooms/${room}/participants`, { key });
    const list = (res.body as { data: { identity: string; role: string | null; name: string }[] }).data;
    return list.length === count ? list : null;
  });
}

/** Signed participant.joined webhooks of `room`, once `count` arrived. */
async function joinedWebhooks(room: string, count: number) {
  const events = await eventually(() => {
    const found = received
      .map(
        (r) =>
          new Webhook(secret).verify(r.body, r.headers) as {
            type: string;
            data: Record<string, { identity?: string; name?: string }>;
          },
      )
      .filter((e) => e.type === 'participant.joined' && e.data.room?.name === room);
    return Promise.resolve(found.length >= count ? found : null);
  }, 20_000);
  return events.map((e) => e.data.participant?.identity).sort();
}

const cameraTile = (identity: string) =>
  `[data-testid="participant-tile"][data-identity="${identity}"][data-source="camera"]`;
const decoding = (sel: string) => `(() => {
  const v = document.querySelector(${JSON.stringify(`${sel} video`)});
  return !!v && v.videoWidth > 0 && v.readyState >= 2;
})()`;

async function redeem(room: string, token: string) {
  const res = await fetch(`${testEnv.webUrl}/api/rooms/${room}/join-link`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

describe('join through the REST API', () => {
  test('room + host token → join link redeemed and used; a bot joins; participants and signed webhooks show both', async () => {
    const created = await apiCall('POST', '/rooms', {
      key,
      body: { displayName: 'API join', maxParticipants: 5 },
    });
    expect(created.status).toBe(201);
    const room = (created.body as { name: string }).name;
    cleanups.push(() => apiCall('DELETE', `/rooms/${room}`, { key }));

    const issued = await apiCall('POST', `/rooms/${room}/tokens`, {
      key,
      body: { identity: 'crm-host-7', name: 'Dana Host', role: 'host', skipPrejoin: true },
    });
    expect(issued.status).toBe(201);
    const token = issued.body as {
      joinUrl: string;
      livekitUrl: string;
      token: string;
      expiresAt: string;
      joinUrlExpiresAt: string;
    };
    // The token is short-lived like every join token; the link lives the requested hour.
    expect(Date.parse(token.expiresAt) - Date.now()).toBeLessThanOrEqual(600_000);
    expect(Date.parse(token.joinUrlExpiresAt) - Date.now()).toBeGreaterThan(3_000_000);
    const link = new URL(token.joinUrl);
    expect(link.pathname).toBe(`/r/${room}`);
    const fragment = new URLSearchParams(link.hash.slice(1));
    expect(fragment.get('skipPrejoin')).toBe('1');
    // The link carries a ticket, not a LiveKit token: it opens nothing in the SFU by itself.
    const linkTicket = fragment.get('token')!;
    expect(linkTicket).not.toBe(token.token);
    const direct = new Room();
    await expect(
      direct.connect(token.livekitUrl, linkTicket, { autoSubscribe: false, dynacast: false }),
    ).rejects.toThrow();
    await direct.disconnect().catch(() => undefined);

    // What the room page does with the link: exchange it for a fresh session token.
    const redeemed = await redeem(room, linkTicket);
    expect(redeemed.status).toBe(200);
    expect(redeemed.body).toMatchObject({
      state: 'joined',
      room,
      identity: 'crm-host-7',
      name: 'Dana Host',
      role: 'host',
    });
    expect((await redeem('some-other-room', linkTicket)).status).toBe(401);
    expect((await redeem('some-other-room', token.token)).status).toBe(401);
    expect((await redeem(room, `${linkTicket}x`)).status).toBe(401);

    const host = new Room();
    await host.connect(redeemed.body.livekitUrl!, redeemed.body.token!, {
      autoSubscribe: false,
      dynacast: true,
    });
    cleanups.push(() => host.disconnect());
    const bot: TBot = await joinBot(room, 'api-join-bot');
    cleanups.push(() => bot.disconnect());

    const participants = await eventually(async () => {
      const res = await apiCall('GET', `/rooms/${room}/participants`, { key });
      const list = (res.body as { data: { identity: string; role: string | null; name: string }[] }).data;
      return list.length === 2 ? list : null;
    });
    expect(participants).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ identity: 'crm-host-7', name: 'Dana Host', role: 'host' }),
        expect.objectContaining({ identity: 'api-join-bot', role: 'participant' }),
      ]),
    );

    const joined = await eventually(() => {
      const events = received
        .map(
          (r) =>
            new Webhook(secret).verify(r.body, r.headers) as {
              type: string;
              data: Record<string, { identity?: string; name?: string }>;
            },
        )
        .filter((e) => e.type === 'participant.joined' && e.data.room?.name === room);
      return Promise.resolve(events.length >= 2 ? events : null);
    }, 20_000);
    expect(joined.map((e) => e.data.participant?.identity).sort()).toEqual(['api-join-bot', 'crm-host-7']);

    // Locked: someone in the meeting (the bot, by LiveKit's webhooks) still gets a token and
    // refreshes it through the join link; a newcomer is refused on both routes.
    const mint = (identity: string) =>
      apiCall('POST', `/rooms/${room}/tokens`, {
        key,
        body: { identity, name: identity, role: 'participant' },
      });
    const newcomerLink = (await mint('crm-newcomer')).body as { joinUrl: string };
    const newcomerTicket = new URLSearchParams(new URL(newcomerLink.joinUrl).hash.slice(1)).get('token')!;
    expect((await apiCall('PATCH', `/rooms/${room}`, { key, body: { locked: true } })).status).toBe(200);
    const inside = await mint('api-join-bot');
    expect(inside.status).toBe(201);
    expect((await redeem(room, (inside.body as { token: string }).token)).status).toBe(200);
    expect(await mint('crm-newcomer')).toMatchObject({ status: 423, body: { code: 'ROOM_LOCKED' } });
    expect((await redeem(room, newcomerTicket)).status).toBe(423);
  });

  test('joinUrl with skipPrejoin=1 opened in Chromium lands in the room as Host, sees the bot; API and webhooks list both', async () => {
    const room = await newRoom('API join in Chromium');
    const bot = await publishSyntheticVideoBot(room, 'api-link-bot', {
      width: 320,
      height: 180,
      fps: 10,
      simulcast: false,
    });
    cleanups.push(() => bot.disconnect());
    const url = await issueJoinUrl(room, {
      identity: 'crm-host-8',
      name: 'Erin Host',
      role: 'host',
      skipPrejoin: true,
    });
    expect(new URLSearchParams(new URL(url).hash.slice(1)).get('skipPrejoin')).toBe('1');

    const { page, errors } = await openPage(url);
    // Straight into the room: no pre-join on the way.
    await page.getByTestId('my-role').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('my-role').textContent()).toBe('Host');
    expect(await page.getByTestId('display-name').count()).toBe(0);
    // The token left the address bar (and history) as soon as it was read.
    expect(new URL(page.url()).hash).toBe('');
    expect(new URL(page.url()).pathname).toBe(`/r/${room}`);
    await page.locator(cameraTile('crm-host-8')).waitFor({ timeout: 20_000 });
    await page.locator(cameraTile('api-link-bot')).waitFor({ timeout: 20_000 });
    await page.waitForFunction(decoding(cameraTile('api-link-bot')), undefined, { timeout: 20_000 });
    await saveScreenshot(page, 'api-join-link-skip-prejoin');

    const participants = await participantsOf(room, 2);
    expect(participants).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ identity: 'crm-host-8', name: 'Erin Host', role: 'host' }),
        expect.objectContaining({ identity: 'api-link-bot', role: 'participant' }),
      ]),
    );
    expect(await joinedWebhooks(room, 2)).toEqual(['api-link-bot', 'crm-host-8']);
    expect(errors).toEqual([]);
  });

  test('joinUrl without skipPrejoin shows pre-join with the integrator name read-only, then joins with it', async () => {
    const room = await newRoom('API join with pre-join');
    const bot = await joinBot(room, 'api-prejoin-bot');
    cleanups.push(() => bot.disconnect());
    const url = await issueJoinUrl(room, { identity: 'crm-guest-9', name: 'Gus Guest', role: 'participant' });

    const { page, errors } = await openPage(url);
    const name = page.getByTestId('display-name');
    await name.waitFor({ timeout: 30_000 });
    await expect.poll(() => name.inputValue(), { timeout: 10_000 }).toBe('Gus Guest');
    expect(await name.getAttribute('readonly')).not.toBeNull();
    expect(new URL(page.url()).hash).toBe('');
    await page.getByTestId('join').click();

    await page.getByTestId('my-role').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('my-role').textContent()).toBe('Participant');
    await page.locator(cameraTile('crm-guest-9')).waitFor({ timeout: 20_000 });
    const participants = await participantsOf(room, 2);
    expect(participants).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ identity: 'crm-guest-9', name: 'Gus Guest', role: 'participant' }),
        expect.objectContaining({ identity: 'api-prejoin-bot' }),
      ]),
    );
    expect(await joinedWebhooks(room, 2)).toEqual(['api-prejoin-bot', 'crm-guest-9']);
    expect(errors).toEqual([]);
  });

  test('a garbage token in the fragment shows a clear error on pre-join, not a crash', async () => {
    const room = await newRoom('API join garbage link');
    const { page, errors } = await openPage(
      new URL(`/r/${room}#token=not-a-token&skipPrejoin=1`, testEnv.webUrl).toString(),
    );
    const error = page.getByTestId('join-error');
    await error.waitFor({ timeout: 30_000 });
    expect(await error.textContent()).toMatch(/invalid|expired|token/i);
    expect(new URL(page.url()).hash).toBe('');
    // Still a working pre-join (an ordinary guest may join with a name of their own).
    expect(await page.getByTestId('display-name').getAttribute('readonly')).toBeNull();
    expect(await page.getByTestId('my-role').count()).toBe(0);
    const participants = await apiCall('GET', `/rooms/${room}/participants`, { key });
    expect((participants.body as { data: unknown[] }).data).toEqual([]);
    expect(errors).toEqual([]);
  });
});
