// Idempotency-Key on POST: same key + same body → one resource and the same response, even when
// the requests race; same key + different body → 422.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiCall, db, newApiKey } from './support/api-client';

let key: string;
beforeAll(async () => {
  key = await newApiKey(['rooms:write', 'rooms:read']);
});
afterAll(() => db.$disconnect());

describe('Idempotency-Key', () => {
  test('five concurrent POST /rooms with the same key create one room', async () => {
    const idempotencyKey = randomUUID();
    const marker = `Idem ${idempotencyKey.slice(0, 8)}`;
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        apiCall('POST', '/rooms', {
          key,
          body: { displayName: marker },
          headers: { 'idempotency-key': idempotencyKey },
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const names = new Set(responses.map((r) => (r.body as { name: string }).name));
    expect(names.size).toBe(1);
    expect(await db.room.count({ where: { displayName: marker } })).toBe(1);
    expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(4);
  });

  test('a later retry with the same key gets the stored response; a new key creates another room', async () => {
    const idempotencyKey = randomUUID();
    const body = { displayName: `Retry ${idempotencyKey.slice(0, 8)}` };
    const first = await apiCall('POST', '/rooms', {
      key,
      body,
      headers: { 'idempotency-key': idempotencyKey },
    });
    const again = await apiCall('POST', '/rooms', {
      key,
      body,
      headers: { 'idempotency-key': idempotencyKey },
    });
    expect(again.status).toBe(first.status);
    expect(again.body).toEqual(first.body);
    const other = await apiCall('POST', '/rooms', {
      key,
      body,
      headers: { 'idempotency-key': randomUUID() },
    });
    expect((other.body as { name: string }).name).not.toBe((first.body as { name: string }).name);
  });

  test('the same key with a different body → 422 IDEMPOTENCY_MISMATCH', async () => {
    const idempotencyKey = randomUUID();
    await apiCall('POST', '/rooms', {
      key,
      body: { displayName: 'One' },
      headers: { 'idempotency-key': idempotencyKey },
    });
    const res = await apiCall('POST', '/rooms', {
      key,
      body: { displayName: 'Two' },
      headers: { 'idempotency-key': idempotencyKey },
    });
    expect(res.status).toBe(422);
    expect(res.contentType).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'IDEMPOTENCY_MISMATCH' });
  });

  test('keys are per API key: another key may reuse the same Idempotency-Key', async () => {
    const idempotencyKey = randomUUID();
    const otherKey = await newApiKey(['rooms:write']);
    const a = await apiCall('POST', '/rooms', {
      key,
      body: {},
      headers: { 'idempotency-key': idempotencyKey },
    });
    const b = await apiCall('POST', '/rooms', {
      key: otherKey,
      body: {},
      headers: { 'idempotency-key': idempotencyKey },
    });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect((a.body as { name: string }).name).not.toBe((b.body as { name: string }).name);
  });
});
