/**
 * When to try a failed delivery again: exponential backoff (base · 2^(n-1), capped) with ±25 %
 * jitter, until the retry window (~24 h by default) since the delivery was created runs out.
 */
export interface TRetryPolicy {
  baseMs: number;
  maxDelayMs: number;
  windowMs: number;
}

export function nextAttemptAt(
  policy: TRetryPolicy,
  attemptsMade: number,
  createdAt: Date,
  now: Date,
  random: () => number = Math.random,
): Date | null {
  const exponential = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** Math.max(0, attemptsMade - 1));
  const delay = Math.round(exponential * (0.75 + 0.5 * random()));
  const at = new Date(now.getTime() + delay);
  return at.getTime() - createdAt.getTime() > policy.windowMs ? null : at;
}

/** Whether an endpoint that has been failing since `failingSince` should be disabled now. */
export function shouldDisableEndpoint(failingSince: Date | null, now: Date, disableAfterMs: number): boolean {
  return failingSince !== null && now.getTime() - failingSince.getTime() >= disableAfterMs;
}
