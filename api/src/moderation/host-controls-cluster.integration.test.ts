/**
 * Host controls across two realtime instances sharing Redis: a role change made on one instance
 * reaches the participant's socket on the other (serverSideEmit), a removal and a lobby admission
 * reach sockets on the other instance, and the host sees knocks from the other instance.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Db } from '../db/client';
import { issueLobbyTicket } from '../lobby/lobby-ticket';
import {
  connectRaw,
  eventually,
  firstSync,
  nextEvent,
  request,
  seedRoom,
  startInstance,
  type TTestInstance,
  type TTestSocket,
  testDb,
  tokenFor,
  uniqueName,
} from '../realtime/testing';

let db: Db;
let one: TTestInstance;
let two: TTestInstance;
const sockets: TTestSocket[] = [];

beforeAll(async () => {
  db = testDb();
  const redisPrefix = uniqueName('rt-host-cluster');
  one = await startInstance({ db, redisPrefix });
  two = await startInstance({ db, redisPrefix });
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});
afterAll(async () => {
  await Promise.all([one?.close(), two?.close()]);
  await db?.$disconnect();
});

async function connectAs(
  instance: TTestInstance,
  room: string,
  identity: string,
  role: 'host' | 'participant',
) {
  const socket = await connectRaw(instance.url, await tokenFor(instance.env, room, identity, role));
  sockets.push(socket);
  await firstSync(socket);
  return socket;
}

describe('host controls on two instances', () => {
  test('role change on instance 1 applies to the socket on instance 2 within 1 s, both ways', async () => {
    const room = await seedRoom(db, 'cl-role');
    const host = await connectAs(one, room, 'ann', 'host');
    const bob = await connectAs(two, room, 'bob', 'participant');
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
    const room = await seedRoom(db, 'cl-remove');
    await db.room.update({ where: { slug: room }, data: { lobbyEnabled: true } });
    const host = await connectAs(one, room, 'ann', 'host');
    const bob = await connectAs(two, room, 'bob', 'participant');
    const told = nextEvent(bob, 'moderation:removed');
    const gone = new Promise((resolve) => bob.once('disconnect', resolve));
    expect(await request(host, 'moderation:remove', { identity: 'bob' })).toMatchObject({ ok: true });
    await told;
    await gone;

    const knocked = nextEvent(host, 'lobby:update', (u) => u.waiting.some((w) => w.name === 'Cleo'));
    const { ticket } = await issueLobbyTicket(
      { apiKey: two.env.LIVEKIT_API_KEY, apiSecret: two.env.LIVEKIT_API_SECRET },
      { room, identity: 'cleo', name: 'Cleo' },
    );
    const cleo = await connectRaw(two.url, '', { auth: { lobbyTicket: ticket } });
    sockets.push(cleo);
    await knocked;
    const admitted = nextEvent(cleo, 'lobby:admitted');
    expect(await request(host, 'lobby:admit', { identity: 'cleo' })).toMatchObject({
      ok: true,
      data: { count: 1 },
    });
    expect(await admitted).toMatchObject({ identity: 'cleo', role: 'participant' });
  });
});
