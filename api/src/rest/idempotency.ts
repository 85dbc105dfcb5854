import { createHash } from 'node:crypto';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import { isUniqueViolation } from '../rooms/repository';

/**
 * `Idempotency-Key` for POSTs, persisted in Postgres with a unique (apiKeyId, key): the first
 * request inserts a pending row and runs; a concurrent duplicate loses the insert and waits for
 * the stored response, so two racing requests create one resource. The same key with another
 * request (method, path or body) is a 422. Keys expire after a day.
 */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
const WAIT_MS = 15_000;

export type TIdempotencyClaim =
  | { kind: 'first'; id: string }
  | { kind: 'replay'; status: number; body: string };

/**
 * Identifies a request for Idempotency-Key reuse checks. A JSON body counts by its meaning, not its
 * bytes: a client that retries with the same object serialised differently (key order, spacing) is
 * the same request.
 */
export function requestFingerprint(method: string, path: string, body: string): string {
  return createHash('sha256')
    .update(`${method}\n${path}\n${canonicalBody(body)}`)
    .digest('hex');
}

function canonicalBody(body: string): string {
  try {
    return JSON.stringify(sortKeys(JSON.parse(body)));
  } catch {
    return body;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

export function assertIdempotencyKey(key: string): void {
  if (key.length < 1 || key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
    throw new AppError('VALIDATION_FAILED', 'The Idempotency-Key header is invalid.', [
      { path: 'Idempotency-Key', message: 'must be 1–255 visible ASCII characters' },
    ]);
  }
}

export async function claimIdempotencyKey(
  db: Db,
  apiKeyId: string,
  key: string,
  requestHash: string,
): Promise<TIdempotencyClaim> {
  assertIdempotencyKey(key);
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      const row = await db.idempotencyKey.create({ data: { apiKeyId, key, requestHash } });
      return { kind: 'first', id: row.id };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const existing = await db.idempotencyKey.findUnique({ where: { apiKeyId_key: { apiKeyId, key } } });
    if (!existing) continue; // released by a failed first request: try to take it
    if (Date.now() - existing.createdAt.getTime() > IDEMPOTENCY_TTL_MS) {
      await db.idempotencyKey.deleteMany({ where: { id: existing.id } });
      continue;
    }
    if (existing.requestHash !== requestHash) throw new AppError('IDEMPOTENCY_MISMATCH');
    if (existing.state === 'done' && existing.responseStatus !== null) {
      return { kind: 'replay', status: existing.responseStatus, body: existing.responseBody ?? '' };
    }
    if (Date.now() > deadline) {
      throw new AppError('CONFLICT', 'A request with this idempotency key is still in progress.');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stores the first request's response (4xx included: the same request gets the same answer). */
export async function completeIdempotencyKey(
  db: Db,
  id: string,
  status: number,
  body: string,
): Promise<void> {
  await db.idempotencyKey.update({
    where: { id },
    data: { state: 'done', responseStatus: status, responseBody: body },
  });
}

/** Forgets the key after a server-side failure, so the client may retry with it. */
export async function releaseIdempotencyKey(db: Db, id: string): Promise<void> {
  await db.idempotencyKey.deleteMany({ where: { id } });
}
