import { describe, expect, test } from 'vitest';
import {
  nextRecordingState,
  type TRecordingEvent,
  type TStoredRecordingState,
  toRecordingState,
} from './state-machine';

describe('nextRecordingState', () => {
  test.each<[TStoredRecordingState | null, TRecordingEvent, TStoredRecordingState | null]>([
    [null, 'start', 'starting'],
    ['ready', 'start', 'starting'],
    ['failed', 'start', 'starting'],
    ['starting', 'start', null],
    ['recording', 'start', null],
    ['starting', 'started', 'recording'],
    ['recording', 'started', null],
    ['recording', 'stop', 'stopping'],
    ['starting', 'stop', 'stopping'],
    [null, 'stop', null],
    ['ready', 'stop', null],
    ['stopping', 'stopped', 'ready'],
    ['recording', 'stopped', null],
    ['starting', 'fail', 'failed'],
    ['stopping', 'fail', 'failed'],
    ['ready', 'fail', null],
  ])('%s + %s → %s', (from, event, to) => {
    expect(nextRecordingState(from, event)).toBe(to);
  });
});

describe('toRecordingState', () => {
  const row = {
    id: 'r1',
    startedBy: 'p-1',
    startedByName: 'Ann',
    failureReason: null,
    updatedAt: new Date(1000),
  };
  test.each([
    [null, { state: 'idle' }],
    [{ ...row, state: 'ready' }, { state: 'idle' }],
    [
      { ...row, state: 'recording' },
      { state: 'recording', recordingId: 'r1', since: 1000 },
    ],
    [
      { ...row, state: 'failed', failureReason: 'boom' },
      { state: 'failed', reason: 'boom' },
    ],
  ])('%o → %o', (input, expected) => {
    expect(toRecordingState(input)).toMatchObject(expected);
  });
});
