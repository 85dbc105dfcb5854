// Auth/scope matrix for every REST API v1 operation: missing key 401, malformed or unknown key
// 401, revoked key 401, key without the operation's scope 403; and the per-key rate limit (429).
import { revokeApiKey } from '@convene/api/apikeys/api-keys';
import { parseApiKey } from '@convene/api/apikeys/key-format';
import { SCOPES } from '@convene/api/apikeys/scopes';
import { OPS } from '@convene/api/rest/operations';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiCall, db, newApiKey } from './support/api-client';

const SAMPLE: Record<string, string> = {
  room: 'auth-matrix-room',
  identity: 'someone',
  id: '00000000-0000-4000-8000-000000000001',
  deliveryId: '00000000-0000-4000-8000-000000000002',
};

const operations = Object.values(OPS).map((op) => ({
  name: op.operationId,
  method: op.method.toUpperCase(),
  path: op.path.replace(/\{(\w+)\}/g, (_m, p: string) => SAMPLE[p]!),
  scopes: op.scopes as readonly string[],
  body: op.body ? {} : undefined,
}));

let revokedKey: string;
const keysWithout = new Map<string, string>();

beforeAll(async () => {
  revokedKey = await newApiKey();
  await revokeApiKey(db, parseApiKey(revokedKey)!.prefix);
  for (const scope of SCOPES) keysWithout.set(scope, await newApiKey(SCOPES.filter((s) => s !== scope)));
});

afterAll(() => db.$disconnect());

function expectProblem(res: Awaited<ReturnType<typeof apiCall>>, status: number, code: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.contentType).toContain('application/problem+json');
  expect(res.body).toMatchObject({ status, code });
  expect(res.text).not.toMatch(/at .+\.(ts|js):\d+/);
}

describe.each(operations)('$method $path ($name)', (op) => {
  test('no key → 401', async () => {
    expectProblem(await apiCall(op.method, op.path, { body: op.body }), 401, 'UNAUTHENTICATED');
  });
  test('malformed and unknown keys → 401', async () => {
    expectProblem(
      await apiCall(op.method, op.path, { key: 'not-a-key', body: op.body }),
      401,
      'UNAUTHENTICATED',
    );
    const forged = `cvn_00000000_${'A'.repeat(43)}`;
    expectProblem(await apiCall(op.method, op.path, { key: forged, body: op.body }), 401, 'UNAUTHENTICATED');
    const basic = await apiCall(op.method, op.path, {
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
      body: op.body,
    });
    expectProblem(basic, 401, 'UNAUTHENTICATED');
  });
  test('revoked key → 401', async () => {
    expectProblem(
      await apiCall(op.method, op.path, { key: revokedKey, body: op.body }),
      401,
      'UNAUTHENTICATED',
    );
  });
  test('key lacking the required scope → 403', async () => {
    for (const scope of op.scopes) {
      const res = await apiCall(op.method, op.path, { key: keysWithout.get(scope)!, body: op.body });
      expectProblem(res, 403, 'FORBIDDEN');
      expect((res.body as { detail: string }).detail).toContain(scope);
    }
  });
});

describe('rate limit per key', () => {
  test('past the limit → 429 with Retry-After; other keys are unaffected; last use is recorded', async () => {
    const limited = await newApiKey(['rooms:read'], 3);
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof apiCall>> | undefined;
    for (let i = 0; i < 5; i++) {
      last = await apiCall('GET', '/rooms?limit=1', { key: limited });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expectProblem(last!, 429, 'RATE_LIMITED');
    const retryAfter = Number(last!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const other = await newApiKey(['rooms:read'], 3);
    expect((await apiCall('GET', '/rooms?limit=1', { key: other })).status).toBe(200);
    const row = await db.apiKey.findUniqueOrThrow({ where: { prefix: parseApiKey(limited)!.prefix } });
    expect(row.lastUsedAt).not.toBeNull();
    expect(row.keyHash).not.toContain(limited.slice(13));
  });
});
