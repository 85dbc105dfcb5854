// Health, readiness and metrics of the processes `npm test` started (the same ones `npm start`
// runs): the probes an orchestrator and Prometheus would hit.
import { describe, expect, test } from 'vitest';
import { testEnv } from './support/env';

async function json(url: string) {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('operations endpoints', () => {
  test('web: liveness, readiness with its dependency checks, Prometheus metrics', async () => {
    expect((await json(`${testEnv.webUrl}/api/health`)).status).toBe(200);
    const ready = await json(`${testEnv.webUrl}/api/ready`);
    expect(ready.status, JSON.stringify(ready.body)).toBe(200);
    expect(ready.body).toMatchObject({
      ready: true,
      drain: 'serving',
      checks: { postgres: { ok: true }, livekit: { ok: true } },
    });
    const metrics = await fetch(`${testEnv.webUrl}/api/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    expect(text).toMatch(/^convene_ready\{service="web",instance_id="[^"]+"\} 1$/m);
    expect(text).toMatch(/^convene_draining\{service="web",instance_id="[^"]+"\} 0$/m);
    expect(text).toContain('process_resident_memory_bytes{service="web"');
  });

  test('realtime: liveness, readiness (Postgres, Redis, LiveKit), metrics', async () => {
    expect((await json(`${testEnv.realtimeUrl}/healthz`)).status).toBe(200);
    const ready = await json(`${testEnv.realtimeUrl}/readyz`);
    expect(ready.status, JSON.stringify(ready.body)).toBe(200);
    expect(ready.body).toMatchObject({
      ready: true,
      checks: { postgres: { ok: true }, livekit: { ok: true } },
    });
    if (testEnv.redisUrl) expect(ready.body).toMatchObject({ checks: { redis: { ok: true } } });
    const text = await (await fetch(`${testEnv.realtimeUrl}/metrics`)).text();
    expect(text).toMatch(/^convene_ready\{service="realtime",instance_id="[^"]+"\} 1$/m);
    expect(text).toContain('# TYPE convene_realtime_ack_seconds histogram');
  });
});
