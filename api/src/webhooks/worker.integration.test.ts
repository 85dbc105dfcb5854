// The outbox worker against real Postgres, in a scratch database of its own (so its aggressive
// test settings never touch the platform's deliveries), with a real HTTP receiver.
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createDb, type Db } from '../db/client';
import { loadEnv } from '../env';
import { createLogger } from '../logger';
import { createWebhookEndpoint } from './endpoints';
import { enqueueDomainEvent } from './enqueue';
import { DELIVERY_LOG_RETENTION_MS, pruneWebhookData } from './prune';
import { deriveSecretsKey } from './secrets';
import { createUrlPolicy } from './url-policy';
import { createWebhookWorker, type TWebhookWorkerOptions } from './worker';

const env = loadEnv();
const adminUrl = process.env.TEST_DB_ADMIN_URL ?? env.DATABASE_URL;
const dbName = `convene_webhooks_${process.pid}`;
let db: Db;
let statuses: number[] = [];
const receiver = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(statuses.shift() ?? 200).end('x'.repeat(5000)));
});
let url: string;
const secretsKey = deriveSecretsKey('k'.repeat(40));
const loopback = createUrlPolicy(['loopback']);

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await admin(`drop database if exists "${dbName}" with (force)`);
  await admin(`create database "${dbName}"`);
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${dbName}`;
  const client = new pg.Client({ connectionString: dbUrl.toString() });
  await client.connect();
  const dir = join(process.cwd(), 'prisma', 'migrations');
  for (const name of readdirSync(dir).sort()) {
    if (!name.match(/^\d/)) continue;
    await client.query(readFileSync(join(dir, name, 'migration.sql'), 'utf8'));
  }
  await client.end();
  db = createDb(dbUrl.toString(), { poolSize: 3 });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  url = `http://localhost:${(receiver.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  receiver.close();
  await db?.$disconnect();
  await admin(`drop database if exists "${dbName}" with (force)`);
});

function worker(overrides: Partial<TWebhookWorkerOptions> = {}) {
  return createWebhookWorker({
    db,
    logger: createLogger('silent'),
    secretsKey,
    urlPolicy: loopback,
    retry: { baseMs: 10, maxDelayMs: 20, windowMs: 60_000 },
    disableAfterMs: 60_000,
    timeoutMs: 2_000,
    pollMs: 20,
    ...overrides,
  });
}

async function drain(w: ReturnType<typeof worker>, until: () => Promise<boolean>) {
  for (let i = 0; i < 200 && !(await until()); i++) {
    await w.runOnce();
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function newEndpoint(eventTypes: ('room.started' | 'chat.message')[] = ['room.started']) {
  return (await createWebhookEndpoint({ db, secretsKey, urlPolicy: loopback }, { url, eventTypes })).endpoint;
}

describe('webhook outbox worker', () => {
  // Each test starts from an empty outbox in this private database.
  beforeEach(async () => {
    await db.webhookEndpoint.deleteMany();
    await db.webhookEvent.deleteMany();
    statuses = [];
  });

  test('a rolled-back transaction leaves nothing in the outbox', async () => {
    const endpoint = await newEndpoint();
    await expect(
      db.$transaction(async (tx) => {
        await enqueueDomainEvent(tx, 'room.started', { room: { name: 'rolled-back' } });
        throw new Error('domain change failed');
      }),
    ).rejects.toThrow('domain change failed');
    expect(await db.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(0);
  });

  test('chat.message goes only to endpoints that opted in', async () => {
    const plain = await newEndpoint(['room.started']);
    const chat = await newEndpoint(['chat.message']);
    await db.$transaction((tx) => enqueueDomainEvent(tx, 'chat.message', { message: { text: 'hi' } }));
    expect(await db.webhookDelivery.count({ where: { endpointId: plain.id } })).toBe(0);
    expect(await db.webhookDelivery.count({ where: { endpointId: chat.id } })).toBe(1);
  });

  test('retries until the window closes, then marks the delivery failed; snippets are capped', async () => {
    statuses = Array(100).fill(503);
    const endpoint = await newEndpoint();
    await db.$transaction((tx) => enqueueDomainEvent(tx, 'room.started', { n: 1 }));
    const outcomes: string[] = [];
    const w = worker({
      retry: { baseMs: 10, maxDelayMs: 50, windowMs: 1500 },
      onOutcome: (outcome) => outcomes.push(outcome),
    });
    const final = async () =>
      (await db.webhookDelivery.findFirst({ where: { endpointId: endpoint.id, status: 'failed' } })) !== null;
    await drain(w, final);
    const delivery = await db.webhookDelivery.findFirstOrThrow({
      where: { endpointId: endpoint.id },
      include: { attempts: true },
    });
    expect(delivery.status).toBe('failed');
    expect(delivery.attempts.length).toBeGreaterThan(2);
    expect(delivery.attempts.every((a) => a.responseStatus === 503)).toBe(true);
    expect(delivery.attempts[0]!.responseSnippet!.length).toBe(1024);
    // The metrics hook saw each stored attempt: retries, then the one that gave up.
    expect(outcomes).toEqual([...Array(delivery.attempts.length - 1).fill('retry_scheduled'), 'failed']);
    statuses = [];
  });

  test('an endpoint failing for longer than the limit is disabled and gets no new events', async () => {
    statuses = [500, 500];
    const endpoint = await newEndpoint();
    await db.$transaction((tx) => enqueueDomainEvent(tx, 'room.started', { n: 2 }));
    const w = worker({ disableAfterMs: 1 });
    await drain(
      w,
      async () =>
        (await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).state === 'disabled',
    );
    const disabled = await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(disabled).toMatchObject({ state: 'disabled' });
    expect(disabled.disabledReason).toMatch(/failing continuously since/);
    await db.$transaction((tx) => enqueueDomainEvent(tx, 'room.started', { n: 3 }));
    expect(await db.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(1);
    statuses = [];
  });

  test('a worker whose network policy refuses the address logs the refusal instead of connecting', async () => {
    const endpoint = await newEndpoint();
    await db.$transaction((tx) => enqueueDomainEvent(tx, 'room.started', { n: 4 }));
    const strict = worker({ urlPolicy: createUrlPolicy([]) });
    await strict.runOnce();
    const attempt = await db.webhookAttempt.findFirstOrThrow({
      where: { delivery: { endpointId: endpoint.id } },
    });
    expect(attempt.responseStatus).toBeNull();
    expect(attempt.error).toMatch(/not allowed/);
  });

  test('pruning forgets finished events past the retention, never pending ones', async () => {
    const endpoint = await newEndpoint();
    const old = new Date(Date.now() - DELIVERY_LOG_RETENTION_MS - 3600_000);
    const done = await db.$transaction((tx) =>
      enqueueDomainEvent(tx, 'room.started', { n: 5 }, { occurredAt: old }),
    );
    const waiting = await db.$transaction((tx) =>
      enqueueDomainEvent(tx, 'room.started', { n: 6 }, { occurredAt: old }),
    );
    await db.webhookDelivery.updateMany({
      where: { eventId: done! },
      data: { status: 'succeeded', updatedAt: old },
    });
    await pruneWebhookData(db);
    expect(await db.webhookEvent.findUnique({ where: { id: done! } })).toBeNull();
    expect(await db.webhookEvent.findUnique({ where: { id: waiting! } })).not.toBeNull();
    expect(await db.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(1);
  });
});
