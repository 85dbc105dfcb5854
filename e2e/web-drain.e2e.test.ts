// SIGTERM on a real web instance (`next start`) with admin dashboards connected: SSE streams end
// with a retry hint, a request in flight still completes, and the process exits 0 in time.
import http from 'node:http';
import { createDb } from '@convene/api/db/client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { adminCookie, randomIp, seedAdmin, sseReader } from './support/admin';
import { testEnv } from './support/env';
import { startWebInstance, type TWebInstance } from './support/web-instance';

const db = createDb(testEnv.databaseUrl, { poolSize: 2 });
const SPREAD_MS = 1000;
let instance: TWebInstance | undefined;
let cookie = '';
let login = { email: '', password: '' };

beforeAll(async () => {
  login = await seedAdmin(db, 'drain');
  cookie = await adminCookie(login.email, login.password);
  instance = await startWebInstance({
    DRAIN_SPREAD_MS: String(SPREAD_MS),
    SHUTDOWN_TIMEOUT_SECONDS: '20',
    LOG_LEVEL: 'info',
  });
});
afterAll(async () => {
  await instance?.stop();
  await db.$disconnect();
});

function sseClients(metrics: string): number | undefined {
  const line = metrics.split('\n').find((l) => l.startsWith('convene_sse_clients{'));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

/** A login POST whose body is held back: in flight on the server until `finish()`. */
function slowLogin(url: string) {
  const body = JSON.stringify(login);
  const req = http.request(`${url}/api/admin/login`, {
    method: 'POST',
    agent: false,
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      origin: url,
      'x-forwarded-for': randomIp(),
    },
  });
  const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
  });
  // Awaited by the test; this only keeps a failure elsewhere from adding an unhandled rejection.
  response.catch(() => undefined);
  req.write(body.slice(0, 8));
  return { response, finish: () => req.end(body.slice(8)) };
}

describe('web graceful shutdown (SIGTERM)', () => {
  test('SSE streams get a jittered retry hint and end, the in-flight request completes with 200, exit 0', async () => {
    const web = instance!;
    const metrics = async () => (await fetch(`${web.url}/api/metrics`)).text();
    expect(sseClients(await metrics())).toBe(0);

    const streams = await Promise.all(
      [0, 1, 2].map(async () => {
        const res = await fetch(`${web.url}/api/admin/events`, { headers: { cookie } });
        expect(res.status).toBe(200);
        const reader = sseReader(res.body!);
        expect(await reader.next()).toBe('retry: 2000\n: connected');
        return reader;
      }),
    );
    expect(sseClients(await metrics())).toBe(3);

    const inFlight = slowLogin(web.url);
    await new Promise((r) => setTimeout(r, 300)); // the server has the request's headers
    let exitedAt = 0;
    const exit = web.exited.then((result) => {
      exitedAt = Date.now();
      return result;
    });
    const signalledAt = Date.now();
    web.kill('SIGTERM');

    for (const reader of streams) {
      const hint = await reader.nextControl(5000);
      const retryMs = Number(/^retry: (\d+)\n: reconnect$/.exec(hint ?? '')?.[1]);
      expect(retryMs, String(hint)).toBeGreaterThanOrEqual(500);
      expect(retryMs).toBeLessThan(500 + SPREAD_MS);
      expect(await reader.nextControl(5000)).toBeNull(); // the stream ended
    }
    // New connections are refused while the request in flight holds the process up.
    const refused = await new Promise<string>((resolve) =>
      http
        .get(`${web.url}/api/health`, { agent: false, timeout: 3000 }, (res) =>
          resolve(`HTTP ${res.statusCode}`),
        )
        .on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message)),
    );
    expect(refused, web.output()).toBe('ECONNREFUSED');
    // Nor does a kept-alive connection (fetch's pool holds the streams' ones) carry a new request.
    await expect(fetch(`${web.url}/api/health`, { signal: AbortSignal.timeout(3000) })).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 500));
    expect(exitedAt, web.output()).toBe(0);

    inFlight.finish();
    const answered = await inFlight.response;
    expect(answered.status, answered.text).toBe(200);
    expect(JSON.parse(answered.text)).toMatchObject({ email: login.email });

    const result = await exit;
    expect(result, web.output()).toEqual({ code: 0, signal: null });
    expect(exitedAt - signalledAt).toBeLessThan(15_000);
  });
});
