// The `apikey` CLI against the real database: the key alone on stdout, list, revoke; and the
// domain's authentication of what it created.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { createDb } from '../db/client';
import { loadEnv } from '../env';
import { MemoryFixedWindow } from '../rate-limit/fixed-window';
import { authenticateApiKey } from './api-keys';

const run = promisify(execFile);
const env = loadEnv();
const db = createDb(env.DATABASE_URL, { poolSize: 2 });
const counter = new MemoryFixedWindow();
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
      counter,
    });
    expect(principal.scopes).toEqual(['rooms:read', 'webhooks:read']);
    await expect(
      authenticateApiKey(db, `Bearer ${key}`, ['rooms:write'], { defaultRateLimitPerMinute: 100, counter }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const listed = await apikey('list');
    const line = listed.stdout.split('\n').find((l) => l.startsWith(prefix));
    expect(line).toContain(name);
    expect(line).toContain('active');
    expect(listed.stdout).not.toContain(key);

    await apikey('revoke', prefix);
    await expect(
      authenticateApiKey(db, `Bearer ${key}`, ['rooms:read'], { defaultRateLimitPerMinute: 100, counter }),
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

  test('without DATABASE_URL it uses the embedded database of a running `npm start`', async () => {
    // What `npm start` does with no DATABASE_URL, in a data folder of its own.
    const dataDir = mkdtempSync(join(tmpdir(), 'convene-cli-'));
    const previous = process.env.CONVENE_DATA_DIR;
    process.env.CONVENE_DATA_DIR = dataDir;
    // @ts-expect-error -- plain ESM helpers without types
    const { ServiceGroup } = await import('../../../scripts/lib/processes.mjs');
    // @ts-expect-error -- plain ESM helpers without types
    const { migrateDatabase, startEmbeddedPostgres } = await import('../../../scripts/lib/database.mjs');
    process.env.CONVENE_DATA_DIR = previous;
    const group = new ServiceGroup({ quiet: true });
    try {
      const url = await startEmbeddedPostgres(group);
      await migrateDatabase(url);
      const { DATABASE_URL: _, ...withoutDatabase } = process.env;
      const created = await run(
        'npm',
        ['run', '--silent', 'apikey', '--', 'create', '--name', 'embedded', '--scopes', 'rooms:read'],
        {
          env: { ...withoutDatabase, CONVENE_DATA_DIR: dataDir },
        },
      );
      const key = created.stdout.trim();
      expect(key).toMatch(/^cvn_[0-9a-f]{8}_/);
      // Stored in the running platform's database, not in the test database.
      const embedded = createDb(url, { poolSize: 1 });
      try {
        expect(await embedded.apiKey.count({ where: { prefix: key.slice(0, 12) } })).toBe(1);
      } finally {
        await embedded.$disconnect();
      }
      expect(await db.apiKey.count({ where: { prefix: key.slice(0, 12) } })).toBe(0);
    } finally {
      await group.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
