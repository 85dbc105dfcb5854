import { Redis } from 'ioredis';
import { afterAll, describe, expect, test } from 'vitest';
import { testEnv, uniqueName } from '../realtime/testing';
import { MemoryPresenceStore } from './memory-store';
import { RedisPresenceStore } from './redis-store';
import type { PresenceStore } from './store';

const redisUrl = testEnv().REDIS_URL;
const clients: Redis[] = [];
afterAll(() => {
  for (const c of clients) c.disconnect();
});

/** Two handles on one store, as two realtime instances would have. */
function stores(kind: 'memory' | 'redis'): [PresenceStore, PresenceStore] {
  if (kind === 'memory') {
    const one = new MemoryPresenceStore();
    return [one, one];
  }
  const prefix = uniqueName('presence');
  const [a, b] = [new Redis(redisUrl!), new Redis(redisUrl!)];
  clients.push(a, b);
  return [new RedisPresenceStore(a, prefix), new RedisPresenceStore(b, prefix)];
}

const member = (identity: string, joinedAt = 1000) => ({
  identity,
  name: identity,
  role: 'participant' as const,
  joinedAt,
});

describe.each(redisUrl ? (['memory', 'redis'] as const) : (['memory'] as const))(
  '%s presence store',
  (kind) => {
    test('tabs, grace, resume, leave once even when two instances sweep', async () => {
      const [one, two] = stores(kind);
      const room = uniqueName('room');
      expect((await one.connect(room, member('ann'), 's1')).outcome).toBe('joined');
      expect((await two.connect(room, member('ann', 2000), 's2')).outcome).toBe('another-tab');
      expect((await two.connect(room, member('ann'), 's2')).member.joinedAt).toBe(1000);
      expect(await one.disconnect(room, 'ann', 's1', 10_000)).toBe(false);
      expect(await two.disconnect(room, 'ann', 's2', 10_000)).toBe(true);
      expect(await one.list(room, 5000)).toMatchObject([
        { identity: 'ann', status: 'reconnecting', graceUntil: 10_000 },
      ]);
      expect((await one.connect(room, member('ann'), 's3')).outcome).toBe('resumed');
      expect(await one.list(room, 5000)).toMatchObject([
        { identity: 'ann', status: 'online', graceUntil: null },
      ]);

      await one.raiseHand(room, 'ben', 3);
      await one.connect(room, member('ben'), 's4');
      await one.raiseHand(room, 'ann', 5);
      expect(await one.disconnect(room, 'ben', 's4', 20_000)).toBe(true);
      expect(await one.sweep(19_999)).toEqual([]);
      const swept = await Promise.all([one.sweep(20_000), two.sweep(20_000)]);
      expect(swept.flat()).toEqual([{ room, identity: 'ben', hands: [{ identity: 'ann', raisedAt: 5 }] }]);
      expect((await one.list(room, 20_000)).map((p) => p.identity)).toEqual(['ann']);
    });

    test('a grace period that expired is hidden before any sweep; typing expires', async () => {
      const [one] = stores(kind);
      const room = uniqueName('room');
      await one.connect(room, member('cat'), 's1');
      await one.setTyping(room, 'cat', 1500);
      expect((await one.list(room, 1000))[0]?.typingUntil).toBe(1500);
      expect((await one.list(room, 1600))[0]?.typingUntil).toBeNull();
      await one.disconnect(room, 'cat', 's1', 3000);
      expect(await one.list(room, 3001)).toEqual([]);
    });

    test('forceLeave (LiveKit says gone) only without live sockets; hands keep their order', async () => {
      const [one, two] = stores(kind);
      const room = uniqueName('room');
      await one.connect(room, member('dan'), 's1');
      expect(await two.forceLeave(room, 'dan')).toBeNull();
      await one.raiseHand(room, 'dan', 10);
      await one.raiseHand(room, 'eve', 5);
      expect((await two.raiseHand(room, 'dan', 1)).map((h) => h.identity)).toEqual(['eve', 'dan']);
      await one.disconnect(room, 'dan', 's1', 99_000);
      expect(await two.forceLeave(room, 'dan')).toEqual({
        room,
        identity: 'dan',
        hands: [{ identity: 'eve', raisedAt: 5 }],
      });
      expect(await one.forceLeave(room, 'dan')).toBeNull();
      expect(await one.lowerHand(room, 'eve')).toEqual({ hands: [], changed: true });
      expect(await one.lowerHand(room, 'eve')).toEqual({ hands: [], changed: false });
    });
  },
);

describe.runIf(redisUrl)('redis presence store, an instance that dies', () => {
  test('its sockets stop counting once its liveness lapses; a live instance’s never do', async () => {
    const prefix = uniqueName('presence');
    const [a, b] = [new Redis(redisUrl!), new Redis(redisUrl!)];
    clients.push(b);
    const livenessTtlMs = 400;
    const doomed = new RedisPresenceStore(a, prefix, { livenessTtlMs });
    const survivor = new RedisPresenceStore(b, prefix, { livenessTtlMs });
    const room = uniqueName('room');
    await doomed.connect(room, member('ann'), 's1');
    await doomed.connect(room, member('bob'), 's2');

    // While its instance lives, bob's socket holds: LiveKit's "left" does not end him.
    expect(await survivor.forceLeave(room, 'bob')).toBeNull();
    await new Promise((r) => setTimeout(r, livenessTtlMs * 2));
    expect(await survivor.forceLeave(room, 'bob')).toBeNull();

    // kill -9: no disconnects run and the liveness key is no longer renewed.
    a.disconnect();
    await new Promise((r) => setTimeout(r, livenessTtlMs * 2));

    // ann's browser reconnects to the survivor, later closes: her last socket, so reconnecting.
    expect((await survivor.connect(room, member('ann'), 's3')).outcome).toBe('another-tab');
    expect(await survivor.disconnect(room, 'ann', 's3', 10_000)).toBe(true);
    const states = Object.fromEntries((await survivor.list(room, 5_000)).map((p) => [p.identity, p.status]));
    expect(states).toEqual({ ann: 'reconnecting', bob: 'online' });
    // bob never came back; LiveKit says he left the call: he leaves now.
    expect(await survivor.forceLeave(room, 'bob')).toEqual({ room, identity: 'bob', hands: null });
    expect((await survivor.list(room, 5_000)).map((p) => p.identity)).toEqual(['ann']);
    await survivor.close();
  });
});
