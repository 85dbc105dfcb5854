import { createHash } from 'node:crypto';
import type { Db } from '../db/client';
import { AppError } from '../errors';

const WINDOW_MS = 60_000;

/**
 * Fixed one-minute windows in Postgres, so every web instance shares the count. One atomic
 * upsert per attempt; over the limit → RATE_LIMITED with `retryAfterSeconds` in details.
 */
export async function takeLoginAttempt(db: Db, scope: string, limitPerMinute: number): Promise<void> {
  const key = createHash('sha256').update(scope).digest('hex');
  const windowStart = new Date(Math.floor(Date.now() / WINDOW_MS) * WINDOW_MS);
  const rows = await db.$queryRaw<{ count: number }[]>`
    INSERT INTO "AdminLoginThrottle" ("key", "windowStart", "count") VALUES (${key}, ${windowStart}, 1)
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "AdminLoginThrottle"."windowStart" = EXCLUDED."windowStart"
                     THEN "AdminLoginThrottle"."count" + 1 ELSE 1 END,
      "windowStart" = EXCLUDED."windowStart"
    RETURNING "count"`;
  const count = Number(rows[0]?.count ?? 1);
  if (count > limitPerMinute) {
    const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + WINDOW_MS - Date.now()) / 1000));
    throw new AppError('RATE_LIMITED', 'Too many sign-in attempts. Try again shortly.', {
      retryAfterSeconds,
    });
  }
}
