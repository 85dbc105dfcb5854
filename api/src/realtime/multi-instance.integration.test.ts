import { describe, expect, test } from 'vitest';
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
} from './testing';

const cluster = useTwoInstanceCluster('rt-multi');

async function join(
  instance: TTestInstance,
  room: string,
  identity: string,
  transports: ('websocket' | 'polling')[],
) {
  const token = await tokenFor(instance.env, room, identity);
  const socket = await connectRaw(instance.url, token, { transports, autoConnect: true });
  cluster.track(socket);
  return socket;
}

describe.each([
  ['websocket', ['websocket'] as ('websocket' | 'polling')[]],
  ['polling only', ['polling'] as ('websocket' | 'polling')[]],
])('two instances sharing Redis (%s)', (_label, transports) => {
  test('chat and presence flow both ways between instance 1 and instance 2', async () => {
    const room = await seedRoom(cluster.db);
    const a = await join(cluster.one, room, 'alice', transports);
    expect((await firstSync(a)).participants.map((p) => p.identity)).toEqual(['alice']);
    const bJoined = nextEvent(
      a,
      'presence:update',
      (u) => u.kind === 'joined' && u.participant.identity === 'bob',
    );
    const b = await join(cluster.two, room, 'bob', transports);
    const bSync = await firstSync(b);
    expect(bSync.self).toMatchObject({ identity: 'bob', room, role: 'participant' });
    expect(bSync.participants.map((p) => p.identity).sort()).toEqual(['alice', 'bob']);
    expect(await bJoined).toMatchObject({
      kind: 'joined',
      participant: { identity: 'bob', status: 'online' },
    });

    // A → B
    const bGets = nextEvent(b, 'chat:message', (m) => m.clientId === 'from-alice-1');
    const sent = await request(a, 'chat:send', { clientId: 'from-alice-1', text: 'hello bob' });
    expect(sent).toMatchObject({
      ok: true,
      data: { text: 'hello bob', senderIdentity: 'alice', kind: 'user' },
    });
    const received = await bGets;
    expect(received).toEqual(sent.ok ? sent.data : null);

    // B → A
    const aGets = nextEvent(a, 'chat:message', (m) => m.clientId === 'from-bob-01');
    const reply = await request(b, 'chat:send', { clientId: 'from-bob-01', text: 'hi alice' });
    expect(reply.ok && reply.data.seq).toBe(received.seq + 1);
    expect(await aGets).toMatchObject({ senderIdentity: 'bob', senderName: 'Name bob', text: 'hi alice' });

    // Stored before the ack, readable from either instance.
    const history = await request(a, 'chat:history', { limit: 10 });
    expect(history.ok && history.data.messages.map((m) => m.text)).toEqual(['hello bob', 'hi alice']);

    // Typing and hands cross instances too.
    const typing = nextEvent(a, 'presence:update', (u) => u.kind === 'typing' && u.identity === 'bob');
    await request(b, 'typing:start', {});
    expect(await typing).toMatchObject({ typingUntil: expect.any(Number) });
    const hands = nextEvent(b, 'presence:update', (u) => u.kind === 'hands');
    await request(a, 'hand:raise', {});
    expect(await hands).toMatchObject({ hands: [{ identity: 'alice' }] });

    // B leaves: A sees reconnecting, then left after the grace period (2 s in tests).
    const reconnecting = nextEvent(
      a,
      'presence:update',
      (u) => u.kind === 'reconnecting' && u.identity === 'bob',
    );
    const left = nextEvent(a, 'presence:update', (u) => u.kind === 'left' && u.identity === 'bob', 8000);
    b.close();
    expect(await reconnecting).toMatchObject({ graceUntil: expect.any(Number) });
    await left;
    await eventually(async () => {
      const c = await join(cluster.one, room, 'carol', transports);
      const sync = await firstSync(c);
      c.close();
      return sync.participants.every((p) => p.identity !== 'bob');
    });
  });
});
