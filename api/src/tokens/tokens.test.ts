import { TokenVerifier } from 'livekit-server-sdk';
import { describe, expect, test } from 'vitest';
import { issueJoinToken, issueRecorderToken, verifyJoinToken } from './issue-join-token';
import { grantsForRecorder, grantsForRole, permissionsFor, type TRole } from './policy';

const keys = { apiKey: 'testkey', apiSecret: 'a-test-secret-that-is-at-least-32-chars' };

describe('grantsForRole', () => {
  test.each<
    [TRole, { canPublish: boolean; roomAdmin: boolean; roomRecord: boolean; canPublishData: boolean }]
  >([
    ['host', { canPublish: true, roomAdmin: true, roomRecord: true, canPublishData: true }],
    ['participant', { canPublish: true, roomAdmin: false, roomRecord: false, canPublishData: true }],
    ['viewer', { canPublish: false, roomAdmin: false, roomRecord: false, canPublishData: false }],
  ])('%s → %o', (role, expected) => {
    const grant = grantsForRole(role, 'room-a');
    expect(grant).toMatchObject({ room: 'room-a', roomJoin: true, canSubscribe: true, ...expected });
    expect(grant.canPublishSources?.length ?? 0).toBe(expected.canPublish ? 4 : 0);
  });

  test('only hosts may moderate or record', () => {
    expect(permissionsFor('host')).toMatchObject({ canModerate: true, canRecord: true });
    expect(permissionsFor('participant')).toMatchObject({ canModerate: false, canRecord: false });
    expect(permissionsFor('viewer')).toMatchObject({ canPublish: false, canRecord: false });
  });
});

describe('grantsForRecorder', () => {
  test('hidden recorder that subscribes and publishes nothing', async () => {
    expect(grantsForRecorder('room-a')).toEqual({
      room: 'room-a',
      roomJoin: true,
      canSubscribe: true,
      canPublish: false,
      canPublishSources: [],
      canPublishData: false,
      canUpdateOwnMetadata: false,
      hidden: true,
      recorder: true,
    });
    const token = await issueRecorderToken(keys, 'room-a', 'recorder-1');
    const claims = await new TokenVerifier(keys.apiKey, keys.apiSecret).verify(token);
    expect(claims.video).toMatchObject({ room: 'room-a', hidden: true, recorder: true, canPublish: false });
    // It carries no role, so the realtime server refuses it as a join token.
    await expect(verifyJoinToken(keys, token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('issueJoinToken / verifyJoinToken', () => {
  test('round-trips room, identity, name and role; TTL is honoured', async () => {
    const { token, expiresAt } = await issueJoinToken(keys, {
      room: 'r1',
      identity: 'p-1',
      name: 'Ann',
      role: 'viewer',
      ttlSeconds: 600,
    });
    const claims = await new TokenVerifier(keys.apiKey, keys.apiSecret).verify(token);
    expect(claims.video?.canPublish).toBe(false);
    expect(claims.exp! - claims.nbf!).toBeLessThanOrEqual(600);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(590_000);
    await expect(verifyJoinToken(keys, token)).resolves.toMatchObject({
      room: 'r1',
      identity: 'p-1',
      name: 'Ann',
      role: 'viewer',
    });
  });

  test('a token signed with another secret is refused', async () => {
    const { token } = await issueJoinToken(
      { ...keys, apiSecret: 'another-secret-another-secret-1234' },
      {
        room: 'r1',
        identity: 'p-1',
        name: 'Ann',
        role: 'host',
        ttlSeconds: 60,
      },
    );
    await expect(verifyJoinToken(keys, token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  test('garbage is refused', async () => {
    await expect(verifyJoinToken(keys, 'not-a-jwt')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
