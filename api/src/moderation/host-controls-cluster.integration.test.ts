/**
 * Host controls across two realtime instances sharing Redis: a role change made on one instance
 * reaches the participant's socket on the other (serverSideEmit) and everyone's presence (the
 * client core's snapshot, later syncs), a removal and a lobby admission reach sockets on the
 * other instance, and the host sees knocks from the other instance.
 */
import { describe, expect, test } from 'vitest';
import { createRealtimeClient, type TRealtimeClient } from '../../../web/src/lib/realtime/client';
import { issueLobbyTicket } from '../lobby/lobby-ticket';
import {
  connectRaw,
  eventually,
  firstSync,
  nextEvent,
  request,
  seedRoom,
  type TTestInstance,
  tokenFor,
  useTwoInstanceCluster,
} from '../realtime/testing';

const cluster = useTwoInstanceCluster('rt-host-cluster');

async function connectAs(
  instance: TTestInstance,
  room: string,
  identity: string,
  role: 'host' | 'participant',
) {
  const socket = await connectRaw(instance.url, await tokenFor(instance.env, room, identity, role));
  cluster.track(socket);
  await firstSync(socket);
  return socket;
}

describe('host controls on two instances', () => {
  test('role change on instance 1 applies to the socket on instance 2 within 1 s, both ways', async () => {
    const room = await seedRoom(cluster.db, 'cl-role');
    const host = await connectAs(cluster.one, room, 'ann', 'host');
    const bob = await connectAs(cluster.two, room, 'bob', 'participant');
    expect(await request(bob, 'moderation:lock', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });

    const promotedAt = Date.now();
    expect(await request(host, 'moderation:set-role', { identity: 'bob', role: 'host' })).toMatchObject({
      ok: true,
    });
    await eventually(
      async () => (await request(bob, 'recording:start', {})).ok,
      1000,
      'promoted on instance 2',
    );
    expect(Date.now() - promotedAt).toBeLessThan(1000);
    expect(await request(bob, 'recording:stop', {})).toMatchObject({ ok: true });

    const demotedAt = Date.now();
    expect(
      await request(host, 'moderation:set-role', { identity: 'bob', role: 'participant' }),
    ).toMatchObject({
      ok: true,
    });
    await eventually(
      async () => {
        const r = await request(bob, 'recording:start', {});
        return !r.ok && r.error.code === 'FORBIDDEN';
      },
      1000,
      'demoted on instance 2',
    );
    expect(Date.now() - demotedAt).toBeLessThan(1000);
  });

  test('role change on instance 1 reaches presence everywhere: the client cores (self and roster), other sockets, later syncs', async () => {
    const room = await seedRoom(cluster.db, 'cl-role-presence');
    const host = await connectAs(cluster.one, room, 'ann', 'host');
    const core = (instance: typeof cluster.one, identity: string) =>
      createRealtimeClient({
        url: instance.url,
        getToken: () => tokenFor(instance.env, room, identity, 'participant'),
        transports: ['websocket'],
      });
    // Bob (the one promoted) and Cleo (watching) through the browser's client core, on instance 2.
    const bob = core(cluster.two, 'bob');
    const cleo = core(cluster.two, 'cleo');
    const dave = await connectAs(cluster.two, room, 'dave', 'participant');
    const roleOf = (client: TRealtimeClient, identity: string) =>
      client.getSnapshot().participants.find((p) => p.identity === identity)?.role;
    try {
      bob.connect();
      cleo.connect();
      await eventually(
        () => roleOf(cleo, 'bob') === 'participant' && roleOf(bob, 'cleo') === 'participant',
        5000,
        'both cores connected and listed',
      );
      expect(bob.getSnapshot().self?.role).toBe('participant');
      const daveSees = nextEvent(dave, 'presence:update', (u) => u.kind === 'role');

      expect(await request(host, 'moderation:set-role', { identity: 'bob', role: 'host' })).toMatchObject({
        ok: true,
      });
      await eventually(() => bob.getSnapshot().self?.role === 'host', 2000, "bob's own role");
      // Told only once its instance applied the role: acting on it at once is allowed.
      expect(await bob.startRecording()).toMatchObject({ ok: true });
      expect(await bob.stopRecording()).toMatchObject({ ok: true });
      expect(roleOf(bob, 'bob')).toBe('host');
      await eventually(() => roleOf(cleo, 'bob') === 'host', 2000, "bob's role in cleo's roster");
      expect(await daveSees).toEqual({ kind: 'role', identity: 'bob', role: 'host' });
      // The shared presence record changed too: a socket joining later, on either instance, sees it.
      const late = await connectAs(cluster.one, room, 'eve', 'participant');
      expect((await firstSync(late)).participants.find((p) => p.identity === 'bob')?.role).toBe('host');

      expect(await request(host, 'moderation:set-role', { identity: 'bob', role: 'viewer' })).toMatchObject({
        ok: true,
      });
      await eventually(() => bob.getSnapshot().self?.role === 'viewer', 2000, 'bob demoted');
      expect(await bob.startRecording()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      await eventually(() => roleOf(cleo, 'bob') === 'viewer', 2000, "cleo's roster after demotion");
      expect(bob.getSnapshot().waiting).toEqual([]);
    } finally {
      bob.close();
      cleo.close();
    }
  });

  test('remove on instance 1 disconnects the socket on instance 2; a knock on 2 reaches the host on 1', async () => {
    const room = await seedRoom(cluster.db, 'cl-remove');
    await cluster.db.room.update({ where: { slug: room }, data: { lobbyEnabled: true } });
    const host = await connectAs(cluster.one, room, 'ann', 'host');
    const bob = await connectAs(cluster.two, room, 'bob', 'participant');
    const told = nextEvent(bob, 'moderation:removed');
    const gone = new Promise((resolve) => bob.once('disconnect', resolve));
    expect(await request(host, 'moderation:remove', { identity: 'bob' })).toMatchObject({ ok: true });
    await told;
    await gone;

    const knocked = nextEvent(host, 'lobby:update', (u) => u.waiting.some((w) => w.name === 'Cleo'));
    const { ticket } = await issueLobbyTicket(
      { apiKey: cluster.two.env.LIVEKIT_API_KEY, apiSecret: cluster.two.env.LIVEKIT_API_SECRET },
      { room, identity: 'cleo', name: 'Cleo' },
    );
    const cleo = await connectRaw(cluster.two.url, '', { auth: { lobbyTicket: ticket } });
    cluster.track(cleo);
    await knocked;
    const admitted = nextEvent(cleo, 'lobby:admitted');
    expect(await request(host, 'lobby:admit', { identity: 'cleo' })).toMatchObject({
      ok: true,
      data: { count: 1 },
    });
    expect(await admitted).toMatchObject({ identity: 'cleo', role: 'participant' });
  });
});
