import type { TChatMessage } from '@convene/api/realtime/contract';
import { describe, expect, test } from 'vitest';
import { addLocal, EMPTY_LOG, markContiguous, mergeStored, toMessageList } from './messages';

const msg = (seq: number, clientId = `c${seq}`, sender = 'other'): TChatMessage => ({
  id: `id-${seq}`,
  seq,
  kind: 'user',
  senderIdentity: sender,
  senderName: sender,
  text: `m${seq}`,
  clientId,
  createdAt: new Date(seq * 1000).toISOString(),
});

describe('chat log merge', () => {
  test.each([
    ['in order', [[1, 2, 3]], [1, 2, 3], 3],
    [
      'reversed and duplicated',
      [
        [3, 2],
        [2, 1, 3],
      ],
      [1, 2, 3],
      3,
    ],
    ['with a gap', [[1, 2], [4]], [1, 2, 4], 2],
    ['gap filled later', [[1, 2], [4], [3]], [1, 2, 3, 4], 4],
  ])('%s', (_name, batches, seqs, contiguous) => {
    let log = EMPTY_LOG;
    for (const batch of batches)
      log = mergeStored(
        log,
        batch.map((s) => msg(s)),
        'me',
      );
    expect(toMessageList(log).map((m) => (m.state === 'stored' ? m.seq : null))).toEqual(seqs);
    expect(log.contiguousSeq).toBe(contiguous);
  });

  test('a stored copy of our pending message replaces it; others stay pending, in order', () => {
    let log = EMPTY_LOG;
    log = addLocal(log, { state: 'pending', clientId: 'a', text: 'A', queuedAt: 1 });
    log = addLocal(log, { state: 'pending', clientId: 'b', text: 'B', queuedAt: 2 });
    log = mergeStored(log, [msg(7, 'a', 'me')], 'me');
    expect(toMessageList(log).map((m) => [m.state, m.clientId])).toEqual([
      ['stored', 'a'],
      ['pending', 'b'],
    ]);
    // The same clientId from someone else is not ours.
    log = mergeStored(log, [msg(8, 'b', 'other')], 'me');
    expect(log.local.map((l) => l.clientId)).toEqual(['b']);
  });

  test('an empty room is contiguous from 0', () => {
    expect(markContiguous(EMPTY_LOG, 0).contiguousSeq).toBe(0);
    expect(mergeStored(markContiguous(EMPTY_LOG, 0), [msg(1)], 'me').contiguousSeq).toBe(1);
  });
});
