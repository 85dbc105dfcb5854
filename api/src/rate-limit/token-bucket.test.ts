import { describe, expect, test } from 'vitest';
import { ConnectionLimiter, TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  test('allows a burst of capacity, then refills over time', () => {
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 2 }, 0);
    expect([1, 2, 3, 4].map(() => bucket.tryTake(1, 0))).toEqual([true, true, true, false]);
    expect(bucket.tryTake(1, 499)).toBe(false);
    expect(bucket.tryTake(1, 500)).toBe(true);
    expect(bucket.tryTake(1, 10_000)).toBe(true);
  });

  test('never exceeds capacity after a long idle', () => {
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 100 }, 0);
    const results = [0, 0, 0].map(() => bucket.tryTake(1, 60_000));
    expect(results).toEqual([true, true, false]);
  });
});

describe('ConnectionLimiter', () => {
  const limits = {
    events: { capacity: 2, refillPerSecond: 1 },
    reactions: { capacity: 1, refillPerSecond: 0.5 },
    maxStrikes: 2,
    strikeWindowMs: 1000,
  };

  test.each([
    ['events', ['allow', 'allow', 'reject', 'reject', 'disconnect']],
    ['reactions', ['allow', 'reject', 'reject', 'disconnect', 'disconnect']],
  ] as const)('%s flood → %o', (bucket, expected) => {
    const limiter = new ConnectionLimiter(limits, 0);
    expect(expected.map(() => limiter.check(bucket, 0))).toEqual(expected);
  });

  test('strikes expire after the window', () => {
    const limiter = new ConnectionLimiter(limits, 0);
    for (const _ of [1, 2, 3, 4]) limiter.check('events', 0);
    expect(limiter.check('events', 1500)).toBe('allow');
  });
});
