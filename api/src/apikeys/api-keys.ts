import type { Db } from '../db/client';
import { AppError } from '../errors';
import type { FixedWindowCounter } from '../rate-limit/fixed-window';
import { apiKeyMatches, generateApiKey, parseApiKey } from './key-format';
import { hasScopes, type TScope } from './scopes';

export interface TApiKeyInfo {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  rateLimitPerMinute: number | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const INFO_SELECT = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  rateLimitPerMinute: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

/** Creates a key. The full key is returned once and never stored. */
export async function createApiKey(
  db: Db,
  input: { name: string; scopes: TScope[]; rateLimitPerMinute?: number | null },
): Promise<{ key: string; info: TApiKeyInfo }> {
  const name = input.name.trim();
  if (!name || name.length > 100)
    throw new AppError('VALIDATION_FAILED', 'The key name must be 1–100 characters.');
  const generated = generateApiKey();
  const info = await db.apiKey.create({
    data: {
      name,
      prefix: generated.prefix,
      keyHash: generated.keyHash,
      scopes: input.scopes,
      rateLimitPerMinute: input.rateLimitPerMinute ?? null,
    },
    select: INFO_SELECT,
  });
  return { key: generated.key, info };
}

export function listApiKeys(db: Db): Promise<TApiKeyInfo[]> {
  return db.apiKey.findMany({ select: INFO_SELECT, orderBy: { createdAt: 'asc' } });
}

/** Revokes by prefix (`cvn_1a2b3c4d`) — or by the full key, whose prefix is taken. */
export async function revokeApiKey(db: Db, prefixOrKey: string): Promise<TApiKeyInfo> {
  const prefix = parseApiKey(prefixOrKey)?.prefix ?? prefixOrKey;
  const found = await db.apiKey.findUnique({ where: { prefix }, select: INFO_SELECT });
  if (!found) throw new AppError('NOT_FOUND', `No API key with prefix ${prefix}.`);
  if (found.revokedAt) return found;
  return db.apiKey.update({ where: { prefix }, data: { revokedAt: new Date() }, select: INFO_SELECT });
}

export interface TApiPrincipal {
  apiKeyId: string;
  prefix: string;
  name: string;
  scopes: string[];
}

const WINDOW_MS = 60_000;
/** Last use is recorded at this granularity: a key in steady use costs no write per request. */
const LAST_USED_GRANULARITY_MS = 60_000;

/**
 * Authenticates `Authorization: Bearer <key>`, checks scopes, and counts the request against the
 * key's per-minute limit in `counter` (shared through Redis when there is one, see
 * rate-limit/fixed-window.ts). Last use is written at most once a minute per key.
 */
export async function authenticateApiKey(
  db: Db,
  authorization: string | null,
  required: readonly TScope[],
  options: { defaultRateLimitPerMinute: number; counter: FixedWindowCounter },
): Promise<TApiPrincipal> {
  const match = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  if (!match) throw new AppError('UNAUTHENTICATED', 'Send an API key as `Authorization: Bearer <key>`.');
  const key = match[1]!;
  const parsed = parseApiKey(key);
  const row = parsed ? await db.apiKey.findUnique({ where: { prefix: parsed.prefix } }) : null;
  if (!row || !apiKeyMatches(key, row.keyHash))
    throw new AppError('UNAUTHENTICATED', 'The API key is invalid.');
  if (row.revokedAt) throw new AppError('UNAUTHENTICATED', 'The API key has been revoked.');
  if (!hasScopes(row.scopes, required)) {
    throw new AppError(
      'FORBIDDEN',
      `This API key lacks the scope(s): ${required.filter((s) => !row.scopes.includes(s)).join(', ')}.`,
    );
  }
  const now = Date.now();
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() >= LAST_USED_GRANULARITY_MS) {
    await db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date(now) } });
  }
  const limit = row.rateLimitPerMinute ?? options.defaultRateLimitPerMinute;
  const window = await options.counter.hit(`apikey:${row.id}`, WINDOW_MS, now);
  if (window.count > limit) {
    const retryAfterSeconds = Math.max(1, Math.ceil((window.resetAt - now) / 1000));
    throw new AppError('RATE_LIMITED', `Rate limit of ${limit} requests per minute exceeded.`, {
      retryAfterSeconds,
    });
  }
  return { apiKeyId: row.id, prefix: row.prefix, name: row.name, scopes: row.scopes };
}
