/**
 * Host controls across two realtime instances sharing Redis: a role change made on one instance
 * reaches the participant's socket on the other (serverSideEmit), a removal and a lobby admission
 * reach sockets on the other instance, and the host sees knocks from the other instance.
 */
import { describe, expect, test } from 'vitest';
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
