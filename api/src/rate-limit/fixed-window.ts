import { Redis } from 'ioredis';
import type { Logger } from '../logger';

/** One request counted in a fixed window: how many so far, and when the window ends (epoch ms). */
export interface TWindowHit {
  count: number;
  resetAt: number;
}

/** Counts requests per key in fixed windows (the REST API's per-key limit). */
export interface FixedWindowCounter {
  hit(key: string, windowMs: number, now?: number): Promise<TWindowHit>;
}

/** One process's windows: right for a single web instance, and the fallback when Redis is away. */
export class MemoryFixedWindow implements FixedWindowCounter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  async hit(key: string, windowMs: number, now: number = Date.now()): Promise<TWindowHit> {
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      if (this.windows.size > 10_000) this.dropExpired(now);
      window = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    return { count: window.count, resetAt: window.resetAt };
  }

  private dropExpired(now: number) {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}

// INCR, and start the window's clock on its first request; answers the count and what is left.
const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) ttl = tonumber(ARGV[1]) end
return { count, ttl }
`;

/**
 * Windows shared by every web instance through Redis. If Redis cannot be reached the count falls
 * back to this process's own windows: the limit then holds per instance instead of failing every
 * request (the API stays up; Redis is not needed to serve it).
 */
export class RedisFixedWindow implements FixedWindowCounter {
  private readonly fallback = new MemoryFixedWindow();
  private degraded = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  async hit(key: string, windowMs: number, now: number = Date.now()): Promise<TWindowHit> {
    try {
      const [count, ttl] = (await this.redis.eval(HIT, 1, `${this.prefix}:ratelimit:${key}`, windowMs)) as [
        number,
        number,
      ];
      if (this.degraded) {
        this.degraded = false;
        this.logger.info('rate limits are shared through Redis again');
      }
      return { count, resetAt: now + ttl };
    } catch (error) {
      if (!this.degraded) {
        this.degraded = true;
        this.logger.warn({ err: error }, 'Redis unreachable: rate limits are per instance until it is back');
      }
      return this.fallback.hit(key, windowMs, now);
    }
  }
}

/** Redis-backed windows when `redisUrl` is set (every web instance shares them), in-memory otherwise. */
export function createFixedWindowCounter(redisUrl: string | undefined, logger: Logger): FixedWindowCounter {
  if (!redisUrl) return new MemoryFixedWindow();
  // Fail fast while Redis is away (the counter falls back) instead of queueing requests behind it.
  const redis = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined); // reported by the counter's fallback, not per reconnect attempt
  return new RedisFixedWindow(redis, 'convene', logger);
}
