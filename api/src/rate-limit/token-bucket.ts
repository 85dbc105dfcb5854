/**
 * A token bucket: `capacity` tokens, refilled continuously at `refillPerSecond`. Per connection,
 * so it lives with the socket in one process (a socket never moves between instances).
 */
export interface TBucketConfig {
  capacity: number;
  refillPerSecond: number;
}

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly config: TBucketConfig,
    now: number = Date.now(),
  ) {
    this.tokens = config.capacity;
    this.updatedAt = now;
  }

  /** Takes `cost` tokens if available. */
  tryTake(cost = 1, now: number = Date.now()): boolean {
    const elapsed = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.config.capacity, this.tokens + elapsed * this.config.refillPerSecond);
    this.updatedAt = now;
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }
}

export interface TConnectionLimits {
  /** Every event. */
  events: TBucketConfig;
  /** Valid `reaction:send` events, on top of `events`. */
  reactions: TBucketConfig;
  /** Rejected events tolerated within `strikeWindowMs` before the connection is dropped. */
  maxStrikes: number;
  strikeWindowMs: number;
}

export const DEFAULT_CONNECTION_LIMITS: TConnectionLimits = {
  events: { capacity: 40, refillPerSecond: 20 },
  reactions: { capacity: 5, refillPerSecond: 1 },
  maxStrikes: 20,
  strikeWindowMs: 10_000,
};

export type TLimitVerdict = 'allow' | 'reject' | 'disconnect';

/** One connection's limiter: answers RATE_LIMITED on `reject`, drops the socket on `disconnect`. */
export class ConnectionLimiter {
  private readonly events: TokenBucket;
  private readonly reactions: TokenBucket;
  private strikes: number[] = [];

  constructor(
    private readonly limits: TConnectionLimits,
    now: number = Date.now(),
  ) {
    this.events = new TokenBucket(limits.events, now);
    this.reactions = new TokenBucket(limits.reactions, now);
  }

  /** Takes a token from `bucket` (`reactions` is charged on top of `events`, after validation). */
  check(bucket: 'events' | 'reactions', now: number = Date.now()): TLimitVerdict {
    if (this[bucket].tryTake(1, now)) return 'allow';
    this.strikes = this.strikes.filter((t) => now - t < this.limits.strikeWindowMs);
    this.strikes.push(now);
    return this.strikes.length > this.limits.maxStrikes ? 'disconnect' : 'reject';
  }
}
