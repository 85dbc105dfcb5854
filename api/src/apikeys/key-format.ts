import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Key layout: `cvn_<8 hex prefix>_<43 base64url chars>` (256 bits of secret). The prefix is
 * stored in clear to find the row and to identify the key in listings; only the SHA-256 of the
 * whole key is stored. A fast hash is right here: the secret is random, not a password.
 */
const KEY_PATTERN = /^(cvn_[0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;

export interface TGeneratedKey {
  key: string;
  prefix: string;
  keyHash: string;
}

export function generateApiKey(): TGeneratedKey {
  const prefix = `cvn_${randomBytes(4).toString('hex')}`;
  const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, keyHash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Returns the prefix of a well-formed key, or null. */
export function parseApiKey(key: string): { prefix: string } | null {
  const match = KEY_PATTERN.exec(key);
  return match ? { prefix: match[1]! } : null;
}

/** Constant-time comparison of a presented key with a stored hash. */
export function apiKeyMatches(key: string, storedHash: string): boolean {
  const a = Buffer.from(hashApiKey(key), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
