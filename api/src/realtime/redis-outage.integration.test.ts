/**
 * Redis unreachable while realtime instances boot (a deploy where Redis comes up last): they keep
 * serving instead of dying on a command the Socket.IO adapter never awaited, and once Redis answers
 * they share rooms through it as usual.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, expect, test } from 'vitest';
import { freePort } from '../../../scripts/lib/ports.mjs';
import type { Db } from '../db/client';
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
} from './testing';

const db: Db = testDb();
const instances: TTestInstance[] = [];
const sockets: TTestSocket[] = [];
let redis: ChildProcess | undefined;

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await Promise.all(instances.map((instance) => instance.close()));
  redis?.kill('SIGKILL');
  await db.$disconnect();
});

test('instances that booted with Redis down keep serving and form one cluster once Redis is up', async () => {
  const port = await freePort();
  const env = { REDIS_URL: `redis://127.0.0.1:${port}` };
  const redisPrefix = uniqueName('rt-outage');
  instances.push(
    await startInstance({ db, redisPrefix, env }),
    await startInstance({ db, redisPrefix, env }),
  );
  // ioredis fails a queued command after 3 reconnection attempts (well under 2 s here); an
  // unawaited one would surface as an unhandled rejection, which fails this run.
  await new Promise((resolve) => setTimeout(resolve, 3000));

  redis = spawn(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );

  const room = await seedRoom(db);
  const join = async (instance: TTestInstance, identity: string) => {
    const socket = await connectRaw(instance.url, await tokenFor(instance.env, room, identity));
    sockets.push(socket);
    return socket;
  };
  // Connecting needs Redis (presence lives there): retry until the instances have reconnected.
  let alice: TTestSocket | undefined;
  await eventually(
    async () => {
      alice = await join(instances[0]!, 'alice').catch(() => undefined);
      return alice !== undefined;
    },
    15_000,
    'alice connected on instance 1',
  );
  expect((await firstSync(alice!)).participants.map((p) => p.identity)).toEqual(['alice']);
  const bobJoined = nextEvent(alice!, 'presence:update', (u) => u.kind === 'joined');
  const bob = await join(instances[1]!, 'bob');
  expect((await firstSync(bob)).participants.map((p) => p.identity).sort()).toEqual(['alice', 'bob']);
  expect(await bobJoined).toMatchObject({ participant: { identity: 'bob' } });

  const bobGets = nextEvent(bob, 'chat:message', (m) => m.clientId === 'after-outage-1');
  const sent = await request(alice!, 'chat:send', { clientId: 'after-outage-1', text: 'Redis is back' });
  expect(sent.ok).toBe(true);
  expect(await bobGets).toMatchObject({ text: 'Redis is back', senderIdentity: 'alice' });
});
