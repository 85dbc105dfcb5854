import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import pg from 'pg';
import type { Db } from '../db/client';
import { prunePublishedTracks } from '../livekit/prune-tracks';
import type { Logger } from '../logger';
import { pruneQualitySamples } from '../quality/prune';
import { OUTBOX_CHANNEL } from './enqueue';
import { pruneWebhookData } from './prune';
import { nextAttemptAt, shouldDisableEndpoint, type TRetryPolicy } from './retry-policy';
import { decryptSecret } from './secrets';
import { signWebhook } from './sign';
import { guardedLookup, type TUrlPolicy } from './url-policy';

export interface TWebhookWorkerOptions {
  db: Db;
  logger: Logger;
  secretsKey: Buffer;
  urlPolicy: TUrlPolicy;
  retry: TRetryPolicy;
  disableAfterMs: number;
  timeoutMs: number;
  pollMs: number;
  /** Deliveries claimed per poll and sent concurrently. */
  batchSize?: number;
  /** How long a claim holds; defaults to the request timeout + 30 s. */
  leaseMs?: number;
  /** When set, LISTEN for outbox notifications on this database so new events go out at once. */
  listenUrl?: string;
  /** Told each attempt's outcome once it is stored (metrics). `latencyMs` is null when not attempted. */
  onOutcome?: (
    outcome: 'delivered' | 'retry_scheduled' | 'failed' | 'skipped',
    latencyMs: number | null,
  ) => void;
}

export interface TWebhookWorker {
  start(): void;
  stop(): Promise<void>;
  /** Claims and attempts due deliveries once; returns how many were attempted. */
  runOnce(): Promise<number>;
  /** Attempts one delivery this worker has claimed (runOnce does claim + attempt). */
  attemptDelivery(deliveryId: string): Promise<void>;
}

export interface TAttemptResult {
  responseStatus: number | null;
  error: string | null;
  latencyMs: number;
  responseSnippet: string | null;
}

const SNIPPET_BYTES = 1024;

/**
 * Delivers the webhook outbox. Any number of workers (one per web process) share the work:
 * a delivery is claimed with a lease (`lockedUntil`) by `FOR UPDATE SKIP LOCKED`, so each due
 * delivery is attempted by one worker at a time, and a worker that dies mid-attempt only delays
 * it until the lease expires. Every attempt is logged; failures are retried with backoff.
 */
export function createWebhookWorker(options: TWebhookWorkerOptions): TWebhookWorker {
  const { db, logger } = options;
  const log = logger.child({ module: 'webhooks' });
  const batchSize = options.batchSize ?? 10;
  const leaseMs = options.leaseMs ?? options.timeoutMs + 30_000;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = true;
  let nextPruneAt = 0;
  const PRUNE_EVERY_MS = 3600_000;

  async function claim(): Promise<string[]> {
    const rows = await db.$queryRaw<{ id: string }[]>`
      UPDATE "WebhookDelivery" SET "lockedUntil" = now() + ${leaseMs} * interval '1 millisecond'
      WHERE id IN (
        SELECT id FROM "WebhookDelivery"
        WHERE status = 'pending' AND "nextAttemptAt" <= now()
          AND ("lockedUntil" IS NULL OR "lockedUntil" < now())
        ORDER BY "nextAttemptAt"
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED)
      RETURNING id::text`;
    return rows.map((r) => r.id);
  }

  async function attempt(deliveryId: string): Promise<void> {
    const delivery = await db.webhookDelivery.findUnique({
      where: { id: deliveryId },
      include: { endpoint: true, event: true },
    });
    if (delivery?.status !== 'pending') return;
    const { endpoint, event } = delivery;
    if (endpoint.state !== 'enabled') {
      await db.webhookDelivery.update({
        where: { id: deliveryId },
        data: { status: 'failed', lockedUntil: null },
      });
      options.onOutcome?.('skipped', null);
      return;
    }
    const now = new Date();
    const secrets = [decryptSecret(options.secretsKey, endpoint.secretCiphertext)];
    if (
      endpoint.previousSecretCiphertext &&
      endpoint.previousSecretExpiresAt &&
      endpoint.previousSecretExpiresAt > now
    ) {
      secrets.push(decryptSecret(options.secretsKey, endpoint.previousSecretCiphertext));
    }
    const body = JSON.stringify(event.payload);
    const headers = signWebhook(secrets, event.id, now, body);
    const result = await postWebhook(endpoint.url, body, headers, options.urlPolicy, options.timeoutMs);
    const ok = result.responseStatus !== null && result.responseStatus >= 200 && result.responseStatus < 300;
    const attemptNumber = delivery.attemptCount + 1;
    const next = ok ? null : nextAttemptAt(options.retry, attemptNumber, delivery.createdAt, new Date());
    await db.$transaction(async (tx) => {
      await tx.webhookAttempt.create({ data: { deliveryId, attemptNumber, ...result } });
      await tx.webhookDelivery.update({
        where: { id: deliveryId },
        data: {
          attemptCount: attemptNumber,
          lockedUntil: null,
          status: ok ? 'succeeded' : next ? 'pending' : 'failed',
          ...(next ? { nextAttemptAt: next } : {}),
        },
      });
      if (ok) {
        if (endpoint.failingSince) {
          await tx.webhookEndpoint.update({ where: { id: endpoint.id }, data: { failingSince: null } });
        }
        return;
      }
      const failingSince = endpoint.failingSince ?? now;
      const disable = shouldDisableEndpoint(failingSince, new Date(), options.disableAfterMs);
      await tx.webhookEndpoint.update({
        where: { id: endpoint.id },
        data: disable
          ? {
              failingSince,
              state: 'disabled',
              disabledReason: `failing continuously since ${failingSince.toISOString()}`,
            }
          : { failingSince },
      });
      if (disable)
        log.warn({ endpointId: endpoint.id }, 'webhook endpoint disabled after sustained failures');
    });
    options.onOutcome?.(ok ? 'delivered' : next ? 'retry_scheduled' : 'failed', result.latencyMs);
    log.debug(
      { deliveryId, eventId: event.id, attemptNumber, status: result.responseStatus, ok },
      'webhook attempt',
    );
  }

  async function runOnce(): Promise<number> {
    if (Date.now() >= nextPruneAt) {
      nextPruneAt = Date.now() + PRUNE_EVERY_MS;
      const pruned = await pruneWebhookData(db);
      if (pruned.events || pruned.idempotencyKeys)
        log.info(pruned, 'pruned old webhook events and idempotency keys');
      // The web app's periodic housekeeping lives here: one timer per web process, no leader.
      const samples = await pruneQualitySamples(db);
      if (samples) log.info({ samples }, 'pruned old connection-quality samples');
      const tracks = await prunePublishedTracks(db);
      if (tracks) log.info({ tracks }, 'pruned old published-track records');
    }
    const ids = await claim();
    await Promise.all(
      ids.map((id) =>
        attempt(id).catch((error: unknown) =>
          log.error({ err: error, deliveryId: id }, 'webhook attempt crashed'),
        ),
      ),
    );
    return ids.length;
  }

  let listener: pg.Client | null = null;
  let busy = false;
  let wakeRequested = false;

  /** A notification arrived: run now (or right after the current run). */
  function wake() {
    if (stopped) return;
    if (busy) {
      wakeRequested = true;
      return;
    }
    if (timer) clearTimeout(timer);
    schedule(0);
  }

  async function listen(url: string) {
    const client = new pg.Client({ connectionString: url });
    client.on('notification', wake);
    // Lost LISTEN connection: polling keeps working; try to listen again later.
    client.on('error', (error) => {
      log.warn({ err: error }, 'webhook outbox LISTEN connection lost; polling only');
      listener = null;
      setTimeout(() => !stopped && void listen(url).catch(() => undefined), 5_000).unref?.();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      listener = client;
    } catch (error) {
      log.warn({ err: error }, 'webhook outbox LISTEN unavailable; polling only');
      await client.end().catch(() => undefined);
    }
  }

  function schedule(delayMs: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      busy = true;
      running = runOnce()
        .catch((error: unknown) => {
          log.error({ err: error }, 'webhook worker poll failed');
          return 0;
        })
        .then((count) => {
          busy = false;
          const again = count >= batchSize || wakeRequested;
          wakeRequested = false;
          schedule(again ? 0 : options.pollMs);
        });
    }, delayMs);
    timer.unref?.();
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
      if (options.listenUrl) void listen(options.listenUrl);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await listener?.end().catch(() => undefined);
      await running;
    },
    runOnce,
    attemptDelivery: attempt,
  };
}

/** POSTs one signed delivery; never throws (a failure is a result to log). */
export function postWebhook(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  policy: TUrlPolicy,
  timeoutMs: number,
): Promise<TAttemptResult> {
  const started = performance.now();
  const done = (r: Omit<TAttemptResult, 'latencyMs'>): TAttemptResult => ({
    ...r,
    latencyMs: Math.round(performance.now() - started),
  });
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(rawUrl);
      const host = url.hostname.replace(/^\[|\]$/g, '');
      // Node skips `lookup` for IP literals: check those here.
      if (isIP(host) && !policy.isAddressAllowed(host))
        throw new Error('address is not allowed (private network)');
    } catch (error) {
      resolve(done({ responseStatus: null, error: (error as Error).message, responseSnippet: null }));
      return;
    }
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Convene-Webhooks/1',
        },
        lookup: guardedLookup(policy) as never,
        // No pooled sockets: every delivery resolves and checks its address again.
        agent: false,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < SNIPPET_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () =>
          resolve(
            done({
              responseStatus: res.statusCode ?? null,
              error: null,
              responseSnippet: Buffer.concat(chunks).subarray(0, SNIPPET_BYTES).toString('utf8') || null,
            }),
          ),
        );
        res.on('error', (error) =>
          resolve(
            done({ responseStatus: res.statusCode ?? null, error: error.message, responseSnippet: null }),
          ),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', (error) =>
      resolve(done({ responseStatus: null, error: error.message, responseSnippet: null })),
    );
    req.end(body);
  });
}
