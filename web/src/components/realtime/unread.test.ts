import type { TChatMessage } from '@convene/api/realtime/contract';
import { describe, expect, test } from 'vitest';
import type { TRealtimeSnapshot } from '@/lib/realtime/client';
import { countUnread, describeTyping } from './unread';

const stored = (seq: number, sender: string, kind: 'user' | 'system' = 'user') =>
  ({
    state: 'stored',
    id: `m${seq}`,
    seq,
    kind,
    senderIdentity: sender,
    senderName: sender,
    text: 't',
    clientId: `c-${seq}-xxxxxx`,
    createdAt: new Date(0).toISOString(),
  }) as const satisfies { state: 'stored' } & TChatMessage;

const snapshot = (messages: TRealtimeSnapshot['messages']) =>
  ({ self: { identity: 'me', name: 'Me', role: 'participant', room: 'r' }, messages }) as TRealtimeSnapshot;

describe('countUnread', () => {
  test.each([
    ['nothing yet', [], 0, 0],
    ['all seen', [stored(1, 'ada'), stored(2, 'ada')], 2, 0],
    ['two new from others', [stored(1, 'ada'), stored(2, 'ada'), stored(3, 'bob')], 1, 2],
    ['own messages never count', [stored(1, 'me'), stored(2, 'ada'), stored(3, 'me')], 0, 1],
    ['system messages count', [stored(1, 'system', 'system')], 0, 1],
    [
      'pending ones are skipped',
      [stored(1, 'ada'), { state: 'pending' as const, clientId: 'x-xxxxxxxx', text: 'hi', queuedAt: 0 }],
      0,
      1,
    ],
  ])('%s', (_name, messages, seenSeq, expected) => {
    expect(countUnread(snapshot(messages), seenSeq)).toBe(expected);
  });
});

describe('describeTyping', () => {
  test.each([
    [['Ada'], 'Ada is typing…'],
    [['Ada', 'Grace'], 'Ada and Grace are typing…'],
    [['Ada', 'Grace', 'Bob', 'Eve'], 'Ada, Grace and 2 more are typing…'],
  ])('%j', (names, expected) => {
    expect(describeTyping(names)).toBe(expected);
  });
});
