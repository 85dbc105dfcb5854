import { describe, expect, test } from 'vitest';
import { initials } from './initials';
import { parseRoomInput, roomPath } from './room-name';

describe('parseRoomInput', () => {
  test.each([
    ['team-sync', 'team-sync'],
    ['  Team-Sync  ', 'team-sync'],
    ['abc', 'abc'],
    ['a1-b2-c3', 'a1-b2-c3'],
    ['x'.repeat(64), 'x'.repeat(64)],
    ['https://meet.example.com/r/kqv-tnwa-rme', 'kqv-tnwa-rme'],
    ['http://127.0.0.1:3000/r/kqv-tnwa-rme?utm=1#top', 'kqv-tnwa-rme'],
    ['https://meet.example.com/r/kqv-tnwa-rme/', 'kqv-tnwa-rme'],
    ['meet.example.com/r/Team-Sync', 'team-sync'],
    ['localhost:3000/r/abc-def', 'abc-def'],
    ['/r/abc-def', 'abc-def'],
    ['r/abc-def', 'abc-def'],
  ])('accepts %j as room %j', (input, slug) => {
    expect(parseRoomInput(input)).toEqual({ ok: true, slug });
  });

  test.each([
    ['', /Enter a room name/],
    ['   ', /Enter a room name/],
    ['ab', /at least 3/],
    ['x'.repeat(65), /at most 64/],
    ['team--sync', /single hyphens/],
    ['-team', /single hyphens/],
    ['team-', /single hyphens/],
    ['team sync', /single hyphens/],
    ['tëam', /single hyphens/],
    ['https://meet.example.com/join/abc', /not a meeting link/],
    ['https://meet.example.com/r/', /not a meeting link/],
    ['https://meet.example.com/r/a_b', /single hyphens/],
    ['https://meet.example.com/r/ab', /at least 3/],
    ['https://[broken/r/abc', /not a meeting link/],
  ])('rejects %j with a clear message', (input, message) => {
    const result = parseRoomInput(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });
});

test('roomPath builds the meeting page path', () => {
  expect(roomPath('team-sync')).toBe('/r/team-sync');
});

test.each([
  ['Ada Lovelace', 'AL'],
  ['  ada  ', 'A'],
  ['Jean Paul Sartre', 'JP'],
  ['', ''],
  ['Émile Zola', 'ÉZ'],
])('initials(%j) is %j', (name, expected) => {
  expect(initials(name)).toBe(expected);
});
