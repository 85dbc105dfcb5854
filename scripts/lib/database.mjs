import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { say } from './log.mjs';
import { DATA_DIR, ROOT } from './paths.mjs';
import { freePort } from './ports.mjs';
import { sleep } from './processes.mjs';

/**
 * Starts the embedded database: PGlite (PostgreSQL 17 in WASM) served over the Postgres wire
 * protocol by pglite-socket, as the single owner of its data folder. Every process connects to
 * it over TCP exactly as it would to a real PostgreSQL.
 */
const DEFAULT_EMBEDDED_DIR = join(DATA_DIR, 'pglite');

export async function startEmbeddedPostgres(group, { dataDir = DEFAULT_EMBEDDED_DIR, port } = {}) {
  mkdirSync(dataDir, { recursive: true });
  const listenPort = port ?? (await freePort());
  say(`starting embedded PostgreSQL (PGlite) on 127.0.0.1:${listenPort}, data in ${dataDir}`);
  const service = group.start(
    'postgres',
    process.execPath,
    [join(ROOT, 'scripts', 'embedded-postgres.mjs')],
    {
      env: { ...process.env, PGLITE_DATA_DIR: dataDir, PGLITE_PORT: String(listenPort) },
    },
  );
  const url = `postgresql://postgres@127.0.0.1:${listenPort}/postgres?sslmode=disable`;
  await waitForPostgres(url, service);
  // The CLIs (apikey, admin) find the running platform's database here; the pid tells a stale
  // file (a crashed run) from a live one.
  if (dataDir === DEFAULT_EMBEDDED_DIR) {
    writeFileSync(RUNNING_DATABASE_FILE, JSON.stringify({ url, pid: service.child.pid }));
  }
  return url;
}

/** Where `npm start` announces its embedded database while it runs. */
export const RUNNING_DATABASE_FILE = join(DATA_DIR, 'embedded-database.json');

/** The URL of the embedded database a running `npm start` serves, or null. */
export function runningEmbeddedDatabase() {
  if (!existsSync(RUNNING_DATABASE_FILE)) return null;
  try {
    const { url, pid } = JSON.parse(readFileSync(RUNNING_DATABASE_FILE, 'utf8'));
    process.kill(pid, 0);
    return url;
  } catch {
    return null;
  }
}

async function waitForPostgres(url, service, timeoutMs = 60_000) {
  const { default: pg } = await import('pg');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service && service.child.exitCode !== null) {
      throw new Error(`embedded PostgreSQL exited:\n${service.tail.join('\n')}`);
    }
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return;
    } catch {
      await client.end().catch(() => {});
      await sleep(250);
    }
  }
  throw new Error('embedded PostgreSQL did not start in time');
}

const MIGRATIONS_DIR = join(ROOT, 'prisma', 'migrations');

/**
 * Applies prisma/migrations/* in order, recording them in `_prisma_migrations` with Prisma's own
 * columns and checksum, so `prisma migrate deploy/status` (when online) agree with what ran here.
 * A Postgres advisory lock serialises concurrent migrators (several instances starting at once).
 */
export async function migrateDatabase(url) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `cannot reach the database at ${redactPassword(url)}: ${error.message}. Check DATABASE_URL, or unset it to use the embedded database.`,
    );
  }
  try {
    await client.query('select pg_advisory_lock(72707369)');
    await client.query(`create table if not exists "_prisma_migrations" (
      "id" varchar(36) primary key not null,
      "checksum" varchar(64) not null,
      "finished_at" timestamptz,
      "migration_name" varchar(255) not null,
      "logs" text,
      "rolled_back_at" timestamptz,
      "started_at" timestamptz not null default now(),
      "applied_steps_count" integer not null default 0)`);
    const applied = new Set(
      (
        await client.query('select migration_name from "_prisma_migrations" where finished_at is not null')
      ).rows.map((r) => r.migration_name),
    );
    const names = existsSync(MIGRATIONS_DIR)
      ? readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => d.name)
          .sort()
      : [];
    let count = 0;
    for (const name of names) {
      if (applied.has(name)) continue;
      const sql = readFileSync(join(MIGRATIONS_DIR, name, 'migration.sql'), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      await client.query('begin');
      try {
        await client.query(sql);
        await client.query(
          `insert into "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
           values (gen_random_uuid()::text, $1, now(), $2, 1)`,
          [checksum, name],
        );
        await client.query('commit');
        count++;
      } catch (error) {
        await client.query('rollback');
        throw new Error(`migration ${name} failed: ${error.message}`);
      }
    }
    if (count > 0) say(`applied ${count} database migration(s)`);
  } finally {
    await client.query('select pg_advisory_unlock(72707369)').catch(() => {});
    await client.end();
  }
}

/** Creates a fresh database next to the one in `adminUrl` and returns its URL (tests). */
export async function createScratchDatabase(adminUrl, name) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A connection string fit for a message: the password, if any, replaced. */
function redactPassword(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'DATABASE_URL';
  }
}
