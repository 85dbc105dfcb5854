import { describe, expect, test } from 'vitest';
import { DrainState } from './drain';
import { isNewRealtimeSession } from './http';
import { createReadiness, type TProbe } from './readiness';

const ok = (name: string): TProbe => ({ name, check: async () => {} });
const failing = (name: string, message: string): TProbe => ({
  name,
  check: async () => {
    throw new Error(message);
  },
});
const hanging = (name: string): TProbe => ({ name, check: () => new Promise(() => {}) });

describe('readiness', () => {
  test('ready when serving and every probe answers', async () => {
    const readiness = createReadiness({ drain: new DrainState(), probes: [ok('postgres'), ok('redis')] });
    const result = await readiness.evaluate();
    expect(result.ready).toBe(true);
    expect(Object.keys(result.checks)).toEqual(['postgres', 'redis']);
    expect(readiness.lastReady).toBe(true);
  });

  test('flips to not ready the moment draining begins, even with healthy dependencies', async () => {
    const drain = new DrainState();
    const readiness = createReadiness({ drain, probes: [ok('postgres')], cacheMs: 60_000 });
    expect((await readiness.evaluate()).ready).toBe(true);
    expect(drain.begin('SIGTERM')).toBe(true);
    expect(drain.begin('SIGTERM')).toBe(false);
    const result = await readiness.evaluate();
    expect(result).toMatchObject({ ready: false, drain: 'draining' });
    expect(readiness.lastReady).toBe(false);
  });

  test.each([
    ['a failing probe', failing('redis', 'ECONNREFUSED'), /ECONNREFUSED/],
    ['a probe that never answers', hanging('livekit'), /timed out after 50 ms/],
  ])('not ready with %s, naming the dependency', async (_, probe, message) => {
    const readiness = createReadiness({
      drain: new DrainState(),
      probes: [ok('postgres'), probe],
      timeoutMs: 50,
    });
    const result = await readiness.evaluate();
    expect(result.ready).toBe(false);
    expect(result.checks.postgres?.ok).toBe(true);
    expect(result.checks[probe.name]).toMatchObject({ ok: false, error: expect.stringMatching(message) });
  });

  test('caches probe results for cacheMs, then checks again', async () => {
    let calls = 0;
    const counting: TProbe = { name: 'postgres', check: async () => void calls++ };
    const readiness = createReadiness({ drain: new DrainState(), probes: [counting], cacheMs: 40 });
    await Promise.all([readiness.evaluate(), readiness.evaluate(), readiness.evaluate()]);
    expect(calls).toBe(1);
    await new Promise((r) => setTimeout(r, 60));
    await readiness.evaluate();
    expect(calls).toBe(2);
  });
});

describe('drain state', () => {
  test('serving → draining → stopped, notifying listeners once per transition', () => {
    const drain = new DrainState();
    const seen: string[] = [];
    drain.onChange((v) => seen.push(v.state));
    drain.begin('SIGTERM');
    drain.stop();
    drain.stop();
    expect(seen).toEqual(['draining', 'stopped']);
    expect(drain.isServing).toBe(false);
  });
});

describe('isNewRealtimeSession', () => {
  test.each([
    ['/socket.io/?EIO=4&transport=polling', true],
    ['/socket.io/?EIO=4&transport=websocket', true],
    ['/socket.io/?EIO=4&transport=polling&sid=abc', false],
    ['/socket.io/?EIO=4&transport=websocket&sid=abc', false],
    ['/readyz', false],
    [undefined, false],
  ])('%s → %s', (url, expected) => {
    expect(isNewRealtimeSession(url)).toBe(expected);
  });
});
