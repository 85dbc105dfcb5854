// The REST API's per-key windows: shared by every web instance through Redis, and still limiting
// (per instance) while Redis is unreachable.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, test } from 'vitest';
import { createLogger } from '../logger';
import { testEnv, uniqueName } from '../realtime/testing';
import { MemoryFixedWindow, RedisFixedWindow } from './fixed-window';

const redisUrl = testEnv().REDIS_URL;
const logger = createLogger('silent', { service: 'test' });
const clients: Redis[] = [];
afterAll(() => {
  for (const c of clients) c.disconnect();
});

describe('fixed windows', () => {
  test('in memory: counts per key, and a new window starts after windowMs', async () => {
    const counter = new MemoryFixedWindow();
    expect(await counter.hit('a', 1000, 0)).toEqual({ count: 1, resetAt: 1000 });
    expect(await counter.hit('a', 1000, 500)).toEqual({ count: 2, resetAt: 1000 });
    expect(await counter.hit('b', 1000, 500)).toEqual({ count: 1, resetAt: 1500 });
    expect(await counter.hit('a', 1000, 1000)).toEqual({ count: 1, resetAt: 2000 });
  });

  test.runIf(redisUrl)('through Redis: two web instances share one window per key', async () => {
    const prefix = uniqueName('rl');
    const [a, b] = [new Redis(redisUrl!), new Redis(redisUrl!)];
    clients.push(a, b);
    const one = new RedisFixedWindow(a, prefix, logger);
    const two = new RedisFixedWindow(b, prefix, logger);
    const counts = [];
    for (let i = 0; i < 3; i++) {
      counts.push((await one.hit('key', 300)).count, (await two.hit('key', 300)).count);
    }
    expect(counts).toEqual([1, 2, 3, 4, 5, 6]);
    const hit = await one.hit('other', 300);
    expect(hit.count).toBe(1);
    expect(hit.resetAt - Date.now()).toBeGreaterThan(200);
    expect(hit.resetAt - Date.now()).toBeLessThanOrEqual(300);
    await new Promise((r) => setTimeout(r, 350));
    expect((await two.hit('key', 300)).count).toBe(1);
  });

  test('Redis unreachable: the count falls back to this instance instead of failing', async () => {
    const offline = new Redis('redis://127.0.0.1:1', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: true,
    });
    offline.on('error', () => undefined);
    clients.push(offline);
    const counter = new RedisFixedWindow(offline, 'rl-offline', logger);
    expect((await counter.hit('key', 60_000)).count).toBe(1);
    expect((await counter.hit('key', 60_000)).count).toBe(2);
  });
});
