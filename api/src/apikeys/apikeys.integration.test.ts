// The `apikey` CLI against the real database: the key alone on stdout, list, revoke; and the
// domain's authentication of what it created.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { createDb } from '../db/client';
import { loadEnv } from '../env';
import { authenticateApiKey } from './api-keys';

const run = promisify(execFile);
const env = loadEnv();
const db = createDb(env.DATABASE_URL, { poolSize: 2 });
afterAll(() => db.$disconnect());

function apikey(...args: string[]) {
  return run('npm', ['run', '--silent', 'apikey', '--', ...args], {
    env: { ...process.env, DATABASE_URL: env.DATABASE_URL },
  });
}

describe('apikey CLI', () => {
  test('create prints only the key; list shows it; revoke stops it authenticating', async () => {
    const name = `cli-${Date.now()}`;
    const created = await apikey('create', '--name', name, '--scopes', 'rooms:read,webhooks:read');
    const key = created.stdout.trim();
    expect(created.stdout).toBe(`${key}\n`);
    expect(key).toMatch(/^cvn_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    const prefix = key.slice(0, 12);

    const principal = await authenticateApiKey(db, `Bearer ${key}`, ['rooms:read'], {
      defaultRateLimitPerMinute: 100,
    });
    expect(principal.scopes).toEqual(['rooms:read', 'webhooks:read']);
    await expect(
      authenticateApiKey(db, `Bearer ${key}`, ['rooms:write'], { defaultRateLimitPerMinute: 100 }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const listed = await apikey('list');
    const line = listed.stdout.split('\n').find((l) => l.startsWith(prefix));
    expect(line).toContain(name);
    expect(line).toContain('active');
    expect(listed.stdout).not.toContain(key);

    await apikey('revoke', prefix);
    await expect(
      authenticateApiKey(db, `Bearer ${key}`, ['rooms:read'], { defaultRateLimitPerMinute: 100 }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await apikey('list')).stdout.split('\n').find((l) => l.startsWith(prefix))).toContain('revoked');
    const row = await db.apiKey.findUniqueOrThrow({ where: { prefix } });
    expect(row.keyHash).toHaveLength(64);
    expect(JSON.stringify(row)).not.toContain(key.slice(13));
  });

  test('bad scopes and missing arguments exit non-zero with a message on stderr', async () => {
    await expect(apikey('create', '--name', 'x', '--scopes', 'rooms:admin')).rejects.toMatchObject({
      code: 2,
      stdout: '',
    });
    await expect(apikey('create', '--scopes', 'rooms:read')).rejects.toMatchObject({ code: 2 });
    await expect(apikey('revoke', 'cvn_ffffffff')).rejects.toMatchObject({ code: 1 });
  });
});
