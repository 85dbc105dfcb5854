import { describe, expect, test } from 'vitest';
import { ZHostMute, ZHostMuteAll, ZHostSetRole, ZLobbyDecision } from './host-events';
import { ZModerationAction, ZModerationNotice } from './schemas';

describe('host event payloads', () => {
  test.each([
    [ZHostMute, { identity: 'bob' }, true],
    [ZHostMute, { identity: 'bob', audio: true, video: true }, true],
    // Hosts can never unmute someone remotely.
    [ZHostMute, { identity: 'bob', audio: false }, false],
    [ZHostMute, { identity: '' }, false],
    [ZHostMute, { identity: 'bob', room: 'other-room' }, false],
    [ZHostMuteAll, {}, true],
    [ZHostMuteAll, { video: false }, false],
    [ZHostSetRole, { identity: 'bob', role: 'viewer' }, true],
    [ZHostSetRole, { identity: 'bob', role: 'admin' }, false],
    [ZLobbyDecision, { identity: 'p-1' }, true],
    [ZLobbyDecision, { all: true }, true],
    [ZLobbyDecision, { all: false }, false],
    [ZLobbyDecision, {}, false],
  ] as const)('%#: %o → %s', (schema, payload, ok) => {
    expect(schema.safeParse(payload).success).toBe(ok);
  });
});

describe('moderation actions and notices', () => {
  test.each([
    [{ kind: 'mute_all' }, true],
    [{ kind: 'ask_unmute', identity: 'bob', video: true }, true],
    [{ kind: 'lobby', enabled: true }, true],
    [{ kind: 'admit', identity: 'bob' }, true],
    [{ kind: 'deny' }, false],
    [{ kind: 'set_role', identity: 'bob', role: 'host', extra: 1 }, false],
    [{ kind: 'teleport', identity: 'bob' }, false],
  ])('%o → %s', (action, ok) => {
    expect(ZModerationAction.safeParse(action).success).toBe(ok);
  });

  test('a notice names its room and kind; unknown kinds are refused by the internal route', () => {
    const by = { identity: 'ann', name: 'Ann' };
    expect(ZModerationNotice.safeParse({ kind: 'ended', room: 'r1', by }).success).toBe(true);
    expect(
      ZModerationNotice.safeParse({ kind: 'role_changed', room: 'r1', identity: 'b', role: 'root', by })
        .success,
    ).toBe(false);
    expect(ZModerationNotice.safeParse({ kind: 'explode', room: 'r1', by }).success).toBe(false);
  });
});
