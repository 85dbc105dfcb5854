import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { pollRoomStatus, type TRoomStatus } from './room-status';

const idle: TRoomStatus = { exists: true, recording: false, locked: false, lobby: false };
const recording: TRoomStatus = { ...idle, recording: true };

describe('pollRoomStatus', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test('fetches at once, then after each answer; a recording that starts meanwhile is reported', async () => {
    const answers = [idle, idle, recording];
    const fetchStatus = vi.fn(async () => answers.shift() ?? recording);
    const seen: boolean[] = [];
    const stop = pollRoomStatus('room-a', (s) => seen.push(s.recording), { intervalMs: 1000, fetchStatus });
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([false]);
    await vi.advanceTimersByTimeAsync(999);
    expect(fetchStatus).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen).toEqual([false, false, true]);
    stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(fetchStatus).toHaveBeenCalledTimes(3);
  });

  test('a failed fetch keeps polling and does not report a status', async () => {
    const answers: Array<TRoomStatus | null> = [recording, null, idle];
    let call = 0;
    const fetchStatus = vi.fn(async () => answers[Math.min(call++, answers.length - 1)] ?? null);
    const seen: boolean[] = [];
    const stop = pollRoomStatus('room-b', (s) => seen.push(s.recording), { intervalMs: 500, fetchStatus });
    await vi.advanceTimersByTimeAsync(700);
    expect(fetchStatus).toHaveBeenCalledTimes(2);
    expect(seen).toEqual([true]);
    await vi.advanceTimersByTimeAsync(500);
    expect(seen).toEqual([true, false]);
    stop();
  });

  test('never two requests in flight: the next waits for the slow answer', async () => {
    let resolve: ((s: TRoomStatus) => void) | undefined;
    const fetchStatus = vi.fn(
      () =>
        new Promise<TRoomStatus>((r) => {
          resolve = r;
        }),
    );
    const stop = pollRoomStatus('room-c', () => {}, { intervalMs: 100, fetchStatus });
    await vi.advanceTimersByTimeAsync(1000);
    expect(fetchStatus).toHaveBeenCalledTimes(1);
    resolve?.(idle);
    await vi.advanceTimersByTimeAsync(100);
    expect(fetchStatus).toHaveBeenCalledTimes(2);
    stop();
  });

  test('stop aborts the request in flight and nothing is reported after it', async () => {
    let signal: AbortSignal | undefined;
    let resolve: ((s: TRoomStatus) => void) | undefined;
    const fetchStatus = vi.fn((_slug: string, s: AbortSignal) => {
      signal = s;
      return new Promise<TRoomStatus>((r) => {
        resolve = r;
      });
    });
    const onStatus = vi.fn();
    const stop = pollRoomStatus('room-d', onStatus, { fetchStatus });
    stop();
    expect(signal?.aborted).toBe(true);
    resolve?.(recording);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(onStatus).not.toHaveBeenCalled();
  });
});
