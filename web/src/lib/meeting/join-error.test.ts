import { expect, test } from 'vitest';
import { describeJoinError } from './join-error';

test.each([
  [
    { status: 423, code: 'ROOM_LOCKED', message: 'This room is locked.' },
    'This room is locked. Ask the host to unlock the meeting, then try again.',
  ],
  [
    { status: 409, code: 'ROOM_FULL', message: 'This room is full.' },
    'This room is full. Try again when someone has left.',
  ],
  [
    { status: 400, code: 'VALIDATION_FAILED', message: 'The request body is invalid.' },
    'The request body is invalid.',
  ],
  [{ status: 0, code: 'NETWORK', message: 'Could not reach the server.' }, 'Could not reach the server.'],
])('describeJoinError(%o)', (error, expected) => {
  expect(describeJoinError(error)).toBe(expected);
});
