import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createDb } from '@convene/api/db/client';
import { afterAll, describe, expect, test } from 'vitest';
import { adminCookie, ORIGIN, randomIp, seedAdmin } from './support/admin';
import { testEnv } from './support/env';

const db = createDb(testEnv.databaseUrl, { poolSize: 2 });
afterAll(() => db.$disconnect());
const url = (path: string) => `${testEnv.webUrl}${path}`;

const API_ROUTES: [string, string][] = [
  ['GET', '/api/admin/session'],
  ['GET', '/api/admin/events'],
  ['GET', '/api/admin/overview'],
  ['GET', '/api/admin/usage'],
  ['GET', '/api/admin/audit'],
  ['GET', '/api/admin/rooms/some-room'],
  ['GET', '/api/admin/rooms/some-room/sessions'],
  ['POST', '/api/admin/rooms/some-room/actions'],
  ['GET', '/api/admin/api-keys'],
  ['POST', '/api/admin/api-keys'],
  ['POST', '/api/admin/api-keys/cvn_x/revoke'],
  ['GET', '/api/admin/webhooks'],
  ['POST', '/api/admin/webhooks'],
  ['PATCH', '/api/admin/webhooks/00000000-0000-4000-8000-000000000000'],
  ['POST', '/api/admin/webhooks/00000000-0000-4000-8000-000000000000/rotate'],
  ['GET', '/api/admin/webhooks/00000000-0000-4000-8000-000000000000/deliveries'],
  ['POST', '/api/admin/webhooks/00000000-0000-4000-8000-000000000000/deliveries/x/replay'],
  ['GET', '/api/admin/recordings'],
  ['DELETE', '/api/admin/recordings/00000000-0000-4000-8000-000000000000'],
  ['GET', '/api/admin/recordings/00000000-0000-4000-8000-000000000000/file'],
];

const PAGES = [
  '/admin',
  '/admin/history',
  '/admin/recordings',
  '/admin/integrations',
  '/admin/rooms/some-room',
];

/**
 * What a meeting participant holds: the browser-session cookie of a room they host and its
 * LiveKit join token. Neither is an admin credential.
 */
async function participantCredentials(): Promise<{ cookie: string; token: string }> {
  const created = await fetch(url('/api/rooms'), {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'application/json' },
    body: '{}',
  });
  expect(created.status).toBe(201);
  const cookie = created.headers.get('set-cookie')!.split(';')[0]!;
  const { slug } = (await created.json()) as { slug: string };
  const joined = await fetch(url(`/api/rooms/${slug}/token`), {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'application/json', cookie },
    body: JSON.stringify({ name: 'Host of a room' }),
  });
  expect(joined.status).toBe(200);
  const { token } = (await joined.json()) as { token: string };
  return { cookie, token };
}

describe('admin authentication and authorisation', () => {
  test.each(API_ROUTES)('%s %s without a session → 401 problem+json', async (method, path) => {
    const res = await fetch(url(path), {
      method,
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      body: method === 'GET' ? undefined : '{}',
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  test.each(API_ROUTES)('%s %s with a forged or expired session cookie → 401', async (method, path) => {
    const res = await fetch(url(path), {
      method,
      headers: {
        origin: ORIGIN,
        cookie: 'convene_admin=not-a-real-session',
        'content-type': 'application/json',
      },
      body: method === 'GET' ? undefined : '{}',
    });
    expect(res.status).toBe(401);
  });

  test('a participant (room host) cookie and LiveKit token open no admin route or page', async () => {
    const { cookie, token } = await participantCredentials();
    for (const [method, path] of API_ROUTES) {
      const res = await fetch(url(path), {
        method,
        headers: {
          origin: ORIGIN,
          cookie,
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
      });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(await res.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    for (const path of PAGES) {
      const res = await fetch(url(path), {
        redirect: 'manual',
        headers: { cookie, authorization: `Bearer ${token}` },
      });
      expect([303, 307, 308], path).toContain(res.status);
      expect(res.headers.get('location'), path).toMatch(/\/admin\/login\?next=/);
    }
  });

  test.each(PAGES)(
    'page %s without a session redirects to the login page and shows no data',
    async (path) => {
      const res = await fetch(url(path), { redirect: 'manual' });
      expect([303, 307, 308]).toContain(res.status);
      expect(res.headers.get('location')).toMatch(/\/admin\/login\?next=/);
    },
  );

  test('login sets an HttpOnly SameSite=Strict session cookie; logout ends the session server-side', async () => {
    const { email, password } = await seedAdmin(db);
    const res = await fetch(url('/api/admin/login'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN, 'x-forwarded-for': randomIp() },
      body: JSON.stringify({ email: email.toUpperCase(), password }),
    });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^convene_admin=[A-Za-z0-9_-]{40,};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    const cookie = setCookie.split(';')[0]!;
    const token = cookie.split('=')[1]!;
    // Only a hash is stored.
    expect(await db.adminSession.count({ where: { tokenHash: token } })).toBe(0);

    const me = await fetch(url('/api/admin/session'), { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email });
    const page = await fetch(url('/admin'), { headers: { cookie }, redirect: 'manual' });
    expect(page.status).toBe(200);

    const out = await fetch(url('/api/admin/logout'), {
      method: 'POST',
      headers: { cookie, origin: ORIGIN },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await fetch(url('/api/admin/session'), { headers: { cookie } })).status).toBe(401);
  });

  test('wrong password and unknown email both answer 401 with the same message', async () => {
    const { email } = await seedAdmin(db);
    const ip = randomIp();
    const bodies = [
      { email, password: 'wrong password here' },
      { email: `nobody-${Date.now()}@example.test`, password: 'wrong password here' },
    ];
    const answers: string[] = [];
    for (const body of bodies) {
      const res = await fetch(url('/api/admin/login'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN, 'x-forwarded-for': ip },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('set-cookie')).toBeNull();
      answers.push(((await res.json()) as { detail: string }).detail);
    }
    expect(answers[0]).toBe(answers[1]);
  });

  test('CSRF: a mutation from another origin, or without Origin, is refused with 403 even with a valid session', async () => {
    const { email, password } = await seedAdmin(db);
    const cookie = await adminCookie(email, password);
    for (const origin of ['https://evil.example', null]) {
      const res = await fetch(url('/api/admin/api-keys'), {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...(origin ? { origin } : {}) },
        body: JSON.stringify({ name: 'csrf', scopes: ['rooms:read'] }),
      });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(await db.apiKey.count({ where: { name: 'csrf' } })).toBe(0);
    // Login itself is a mutation too.
    const login = await fetch(url('/api/admin/login'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ email, password }),
    });
    expect(login.status).toBe(403);
  });

  test('login is rate limited per IP and email: the 6th attempt in a minute gets 429 with Retry-After', async () => {
    // Stay inside one fixed one-minute window.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 50_000) await new Promise((r) => setTimeout(r, 61_000 - intoMinute));
    const { email, password } = await seedAdmin(db);
    const ip = randomIp();
    const attempt = (pw: string, from = ip) =>
      fetch(url('/api/admin/login'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN, 'x-forwarded-for': from },
        body: JSON.stringify({ email, password: pw }),
      });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong password here')).status).toBe(401);
    const limited = await attempt(password);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await limited.json()).toMatchObject({ code: 'RATE_LIMITED' });
    // A made-up first hop does not dodge it: the proxy's (last) entry is the address.
    expect((await attempt(password, `${randomIp()}, ${ip}`)).status).toBe(429);
    // Another client address is not blocked by this one's failures.
    expect((await attempt(password, randomIp())).status).toBe(200);
  }, 90_000);

  test('CLI: `npm run admin -- create` makes an account that can sign in; a short password is refused', async () => {
    const run = promisify(execFile);
    const email = `cli-${Date.now()}@example.test`;
    const env = { ...process.env, DATABASE_URL: testEnv.databaseUrl };
    const created = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/admin.mjs',
        'create',
        '--email',
        email,
        '--password',
        'a long cli password',
      ],
      { env },
    );
    expect(created.stdout).toContain(`created admin ${email}`);
    expect(await adminCookie(email, 'a long cli password')).toMatch(/^convene_admin=/);
    const refused = await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/admin.mjs', 'create', '--email', `x${email}`, '--password', 'short'],
      { env },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 2 });
    expect((refused as { stderr: string }).stderr).toContain('at least 12 characters');
  }, 60_000);
});
