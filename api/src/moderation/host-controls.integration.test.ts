/**
 * Host controls end to end on the server side: a real realtime instance, real livekit-server
 * (rtc-node bots), real Postgres. Every action goes through moderateRoom (audited).
 */
import { Room, RoomEvent } from '@livekit/rtc-node';
import { RoomServiceClient, TrackType } from 'livekit-server-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { publishTone } from '../../../e2e/support/bots';
import type { Db } from '../db/client';
import { httpStatusFor, isAppError } from '../errors';
import { livekitHttpUrl } from '../livekit/room-admin';
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
import { redeemJoinLink } from '../rest/redeem-join-link';
import { identityForSession, joinRoomAsBrowser } from '../rooms/room-service';
import { getMemberDecision } from './room-members';

let db: Db;
let server: TTestInstance;
let livekit: RoomServiceClient;
const sockets: TTestSocket[] = [];
const rooms: Room[] = [];

beforeAll(async () => {
  db = testDb();
  server = await startInstance({ db, redisPrefix: uniqueName('rt-host') });
  livekit = new RoomServiceClient(
    livekitHttpUrl(server.env.LIVEKIT_URL),
    server.env.LIVEKIT_API_KEY,
    server.env.LIVEKIT_API_SECRET,
  );
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  for (const r of rooms.splice(0)) await r.disconnect().catch(() => undefined);
});
afterAll(async () => {
  await server?.close();
  await db?.$disconnect();
});

const keys = () => ({ apiKey: server.env.LIVEKIT_API_KEY, apiSecret: server.env.LIVEKIT_API_SECRET });

async function connectAs(room: string, identity: string, role: 'host' | 'participant' = 'participant') {
  const socket = await connectRaw(server.url, await tokenFor(server.env, room, identity, role));
  sockets.push(socket);
  await firstSync(socket);
  return socket;
}

/** An rtc-node participant publishing a microphone tone; returns its token too (for reuse). */
async function botWithMic(room: string, identity: string) {
  const token = await tokenFor(server.env, room, identity, 'participant');
  const lk = new Room();
  rooms.push(lk);
  await lk.connect(server.env.LIVEKIT_URL, token, { autoSubscribe: false, dynacast: true });
  await publishTone(lk, 440);
  await eventually(
    async () => (await livekit.getParticipant(room, identity)).tracks.some((t) => t.type === TrackType.AUDIO),
    10_000,
    'the bot microphone in LiveKit',
  );
  return { lk, token };
}

async function micMuted(room: string, identity: string): Promise<boolean> {
  const p = await livekit.getParticipant(room, identity);
  return p.tracks.some((t) => t.type === TrackType.AUDIO && t.muted);
}

function refusal(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error('connected, expected a refusal');
    },
    (error: { data?: { code: string } }) => error.data?.code,
  );
}

describe('host controls over the realtime link', () => {
  test('a host mutes a participant: muted in LiveKit, the participant is told who did it', async () => {
    const room = await seedRoom(db, 'mute');
    await botWithMic(room, 'bob');
    const host = await connectAs(room, 'ann', 'host');
    const bob = await connectAs(room, 'bob');
    const told = nextEvent(bob, 'moderation:muted');
    expect(await request(host, 'moderation:mute', { identity: 'bob' })).toMatchObject({ ok: true });
    await eventually(() => micMuted(room, 'bob'), 5000, 'bob muted in LiveKit');
    expect(await told).toEqual({ by: { identity: 'ann', name: 'Name ann' }, audio: true, video: false });
    const audit = await db.auditLog.findFirst({ where: { roomSlug: room, action: 'room.mute' } });
    expect(audit).toMatchObject({ actorType: 'host', actorId: 'ann', target: 'bob' });
  });

  test('a participant trying to mute is FORBIDDEN and nothing changes', async () => {
    const room = await seedRoom(db, 'mute-x');
    await botWithMic(room, 'bob');
    const mallory = await connectAs(room, 'mallory');
    for (const [event, payload] of [
      ['moderation:mute', { identity: 'bob' }],
      ['moderation:mute-all', {}],
      ['moderation:remove', { identity: 'bob' }],
      ['moderation:lock', {}],
      ['moderation:end', {}],
      ['moderation:set-role', { identity: 'mallory', role: 'host' }],
    ] as const) {
      expect(await request(mallory, event as 'moderation:mute', payload as never)).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
    expect(await micMuted(room, 'bob')).toBe(false);
    expect(await db.auditLog.count({ where: { roomSlug: room } })).toBe(0);
  });

  test('mute all spares hosts; ask-unmute only prompts', async () => {
    const room = await seedRoom(db, 'mute-all');
    await botWithMic(room, 'bob');
    const hostToken = await tokenFor(server.env, room, 'ann', 'host');
    const hostLk = new Room();
    rooms.push(hostLk);
    await hostLk.connect(server.env.LIVEKIT_URL, hostToken, { autoSubscribe: false, dynacast: true });
    await publishTone(hostLk, 660);
    await eventually(async () => (await livekit.getParticipant(room, 'ann')).tracks.length > 0, 10_000);
    const host = await connectAs(room, 'ann', 'host');
    const bob = await connectAs(room, 'bob');
    expect(await request(host, 'moderation:mute-all', {})).toMatchObject({ ok: true });
    await eventually(() => micMuted(room, 'bob'), 5000, 'bob muted');
    expect(await micMuted(room, 'ann')).toBe(false);
    const prompt = nextEvent(bob, 'moderation:unmute-requested');
    expect(await request(host, 'moderation:ask-unmute', { identity: 'bob' })).toMatchObject({ ok: true });
    expect(await prompt).toMatchObject({ by: { identity: 'ann' }, audio: true });
    expect(await micMuted(room, 'bob')).toBe(true);
  });

  test('lock: new token requests get 423 and new realtime joins are refused; people inside stay', async () => {
    const room = await seedRoom(db, 'lock');
    const host = await connectAs(room, 'ann', 'host');
    const inside = await connectAs(room, 'bob');
    const state = nextEvent(inside, 'room:state', (s) => s.locked);
    expect(await request(host, 'moderation:lock', {})).toMatchObject({ ok: true });
    expect(await state).toEqual({ locked: true, lobbyEnabled: false });
    const refused = await joinRoomAsBrowser(db, keys(), {
      slug: room,
      sessionHash: 'c'.repeat(64),
      displayName: 'Carol',
      ttlSeconds: 600,
    }).catch((e: unknown) => e);
    expect(isAppError(refused) && refused.code).toBe('ROOM_LOCKED');
    expect(httpStatusFor('ROOM_LOCKED')).toBe(423);
    expect(await refusal(connectRaw(server.url, await tokenFor(server.env, room, 'carol')))).toBe(
      'ROOM_LOCKED',
    );
    expect(inside.connected).toBe(true);
    // A second tab of someone inside is not a new join.
    sockets.push(await connectRaw(server.url, await tokenFor(server.env, room, 'bob')));
    expect(await request(host, 'moderation:unlock', {})).toMatchObject({ ok: true });
    sockets.push(await connectRaw(server.url, await tokenFor(server.env, room, 'carol')));
  });

  test('lock: someone in the meeting still gets a fresh token and reconnects; newcomers and leavers are refused', async () => {
    const room = await seedRoom(db, 'lock-inside');
    const roomId = (await db.room.findUniqueOrThrow({ where: { slug: room } })).id;
    // The meeting as LiveKit's webhooks record it: Bob's and Jo's media connections are open,
    // Dave's closed (he left), Erin's belongs to an earlier, ended meeting.
    const meeting = await db.meeting.create({
      data: { roomId, livekitRoomSid: uniqueName('RM'), startedAt: new Date() },
    });
    const earlier = await db.meeting.create({
      data: { roomId, livekitRoomSid: uniqueName('RM'), startedAt: new Date(0), endedAt: new Date(1000) },
    });
    const session = (c: string) => c.repeat(64);
    const attend = (meetingId: string, identity: string, leftAt: Date | null = null) =>
      db.attendance.create({
        data: {
          roomId,
          meetingId,
          identity,
          displayName: identity,
          role: 'participant',
          livekitParticipantSid: uniqueName('PA'),
          joinedAt: new Date(),
          leftAt,
        },
      });
    await attend(meeting.id, identityForSession(session('b')));
    await attend(meeting.id, 'jo-link');
    await attend(meeting.id, identityForSession(session('d')), new Date());
    await attend(earlier.id, identityForSession(session('e')));
    const host = await connectAs(room, 'ann', 'host');
    expect(await request(host, 'moderation:lock', {})).toMatchObject({ ok: true });

    const browserToken = (c: string) =>
      joinRoomAsBrowser(db, keys(), { slug: room, sessionHash: session(c), displayName: c, ttlSeconds: 600 });
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'issued',
        (e: unknown) => (isAppError(e) ? e.code : String(e)),
      );
    // Bob refreshes (the browser's token route) and reconnects to the realtime service with it,
    // although his realtime socket had gone (only LiveKit knows he is inside).
    const refreshed = await browserToken('b');
    expect(refreshed).toMatchObject({ state: 'joined', role: 'participant' });
    if (refreshed.state !== 'joined') throw new Error('expected a token');
    const bob = await connectRaw(server.url, refreshed.token);
    sockets.push(bob);
    expect((await firstSync(bob)).self.identity).toBe(identityForSession(session('b')));
    // Newcomer, someone who left, someone from an earlier meeting: refused (423).
    expect(await code(browserToken('c'))).toBe('ROOM_LOCKED');
    expect(await code(browserToken('d'))).toBe('ROOM_LOCKED');
    expect(await code(browserToken('e'))).toBe('ROOM_LOCKED');
    expect(
      await refusal(
        connectRaw(server.url, await tokenFor(server.env, room, identityForSession(session('d')))),
      ),
    ).toBe('ROOM_LOCKED');
    // A join-link session refreshes the same way; a link for a newcomer is refused.
    const redeem = async (identity: string) =>
      redeemJoinLink(db, keys(), {
        slug: room,
        token: await tokenFor(server.env, room, identity),
        ttlSeconds: 600,
      });
    expect(await redeem('jo-link')).toMatchObject({ identity: 'jo-link', role: 'participant' });
    expect(await code(redeem('newcomer-link'))).toBe('ROOM_LOCKED');
    // Unlocked: everyone may come in again.
    expect(await request(host, 'moderation:unlock', {})).toMatchObject({ ok: true });
    expect(await code(browserToken('c'))).toBe('issued');
  });

  test('end for all: LiveKit room gone, meeting closed, every socket told and disconnected', async () => {
    const room = await seedRoom(db, 'end');
    const { lk } = await botWithMic(room, 'bob');
    const roomId = (await db.room.findUniqueOrThrow({ where: { slug: room } })).id;
    const meeting = await db.meeting.create({
      data: { roomId, livekitRoomSid: uniqueName('RM'), startedAt: new Date() },
    });
    const host = await connectAs(room, 'ann', 'host');
    const bob = await connectAs(room, 'bob');
    const ended = [nextEvent(host, 'room:ended'), nextEvent(bob, 'room:ended')];
    const bobGone = new Promise((resolve) => bob.once('disconnect', resolve));
    const lkGone = new Promise((resolve) => lk.once(RoomEvent.Disconnected, resolve));
    expect(await request(host, 'moderation:end', {})).toMatchObject({ ok: true });
    for (const e of await Promise.all(ended)) expect(e.by.identity).toBe('ann');
    await bobGone;
    await lkGone;
    expect((await livekit.listRooms([room])).length).toBe(0);
    expect((await db.meeting.findUniqueOrThrow({ where: { id: meeting.id } })).endedAt).not.toBeNull();
  });

  test('role change applies live: promoted can record, demoted is FORBIDDEN within 1 s', async () => {
    const room = await seedRoom(db, 'role');
    const host = await connectAs(room, 'ann', 'host');
    const bob = await connectAs(room, 'bob');
    expect(await request(bob, 'recording:start', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const seen = nextEvent(bob, 'moderation:role');
    expect(await request(host, 'moderation:set-role', { identity: 'bob', role: 'host' })).toMatchObject({
      ok: true,
    });
    expect(await seen).toMatchObject({ identity: 'bob', role: 'host' });
    expect(await request(bob, 'recording:start', {})).toMatchObject({ ok: true });
    expect(await request(bob, 'recording:stop', {})).toMatchObject({ ok: true });
    // The promoted host can now moderate too (lock and unlock).
    expect(await request(bob, 'moderation:lock', {})).toMatchObject({ ok: true });
    expect(await request(bob, 'moderation:unlock', {})).toMatchObject({ ok: true });

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
      'demoted host refused',
    );
    expect(Date.now() - demotedAt).toBeLessThan(1000);
    // A reconnect with the old (participant) token keeps the role the host set.
    expect(await request(host, 'moderation:set-role', { identity: 'bob', role: 'host' })).toMatchObject({
      ok: true,
    });
    const again = await connectAs(room, 'bob');
    expect(await request(again, 'moderation:lock', {})).toMatchObject({ ok: true });
    // So does a join-link refresh of the old token.
    expect(
      await redeemJoinLink(db, keys(), {
        slug: room,
        token: await tokenFor(server.env, room, 'bob'),
        ttlSeconds: 600,
      }),
    ).toMatchObject({ identity: 'bob', role: 'host' });
  });

  test('role change updates the LiveKit grants live: a viewer cannot publish, a participant can again', async () => {
    const room = await seedRoom(db, 'grants');
    await botWithMic(room, 'vera');
    const host = await connectAs(room, 'ann', 'host');
    expect((await livekit.getParticipant(room, 'vera')).permission?.canPublish).toBe(true);
    expect(await request(host, 'moderation:set-role', { identity: 'vera', role: 'viewer' })).toMatchObject({
      ok: true,
    });
    await eventually(
      async () => {
        const p = await livekit.getParticipant(room, 'vera');
        return p.permission?.canPublish === false && p.attributes.role === 'viewer';
      },
      5_000,
      'LiveKit sees vera as a viewer who cannot publish',
    );
    // LiveKit takes the viewer's published microphone away with the grant.
    await eventually(
      async () => (await livekit.getParticipant(room, 'vera')).tracks.length === 0,
      5_000,
      'the viewer publishes nothing',
    );
    expect(
      await request(host, 'moderation:set-role', { identity: 'vera', role: 'participant' }),
    ).toMatchObject({
      ok: true,
    });
    await eventually(
      async () => {
        const p = await livekit.getParticipant(room, 'vera');
        return p.permission?.canPublish === true && p.attributes.role === 'participant';
      },
      5_000,
      'vera may publish again',
    );
  });

  test('remove: LiveKit and realtime drop them; the old token no longer opens the room', async () => {
    const room = await seedRoom(db, 'remove');
    const { lk, token } = await botWithMic(room, 'bob');
    const host = await connectAs(room, 'ann', 'host');
    const bob = await connectAs(room, 'bob');
    const told = nextEvent(bob, 'moderation:removed');
    const bobGone = new Promise((resolve) => bob.once('disconnect', resolve));
    const lkGone = new Promise((resolve) => lk.once(RoomEvent.Disconnected, resolve));
    const removedAt = Date.now();
    expect(await request(host, 'moderation:remove', { identity: 'bob' })).toMatchObject({ ok: true });
    expect(await told).toEqual({ by: { identity: 'ann', name: 'Name ann' } });
    await Promise.all([bobGone, lkGone]);
    expect(Date.now() - removedAt).toBeLessThan(2000);
    // Realtime: the old token is refused.
    expect(await refusal(connectRaw(server.url, token))).toBe('FORBIDDEN');
    // Web app: no new token for this browser identity in this meeting.
    const roomId = (await db.room.findUniqueOrThrow({ where: { slug: room } })).id;
    expect(
      await db.roomMember.findUnique({ where: { roomId_identity: { roomId, identity: 'bob' } } }),
    ).toMatchObject({ removedAt: expect.any(Date) });
  });

  test('removing someone who is not here is NOT_FOUND and leaves no revocation', async () => {
    const room = await seedRoom(db, 'remove-x');
    const host = await connectAs(room, 'ann', 'host');
    expect(await request(host, 'moderation:remove', { identity: 'ghost' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const roomId = (await db.room.findUniqueOrThrow({ where: { slug: room } })).id;
    expect(await getMemberDecision(db, roomId, 'ghost')).toMatchObject({ isRemoved: false });
  });
});

describe('lobby', () => {
  async function lobbyRoom() {
    const room = await seedRoom(db, 'lobby');
    await db.room.update({ where: { slug: room }, data: { lobbyEnabled: true } });
    return room;
  }

  async function knock(room: string, session: string, name: string) {
    const result = await joinRoomAsBrowser(db, keys(), {
      slug: room,
      sessionHash: session.repeat(64).slice(0, 64),
      displayName: name,
      ttlSeconds: 600,
    });
    if (result.state !== 'waiting') throw new Error('expected the lobby');
    const socket = await connectRaw(server.url, '', { auth: { lobbyTicket: result.lobbyTicket } });
    sockets.push(socket);
    return { socket, ticket: result.lobbyTicket, identity: result.identity };
  }

  test('a waiting browser gets a lobby ticket, not a room token; hosts admit it over the link', async () => {
    const room = await lobbyRoom();
    const host = await connectAs(room, 'ann', 'host');
    const knocked = nextEvent(host, 'lobby:update', (u) => u.waiting.length === 1);
    const dana = await knock(room, 'd', 'Dana');
    expect((await knocked).waiting).toEqual([
      { identity: dana.identity, name: 'Dana', since: expect.any(Number) },
    ]);
    // The ticket opens nothing else.
    expect(await refusal(connectRaw(server.url, dana.ticket))).toBe('UNAUTHENTICATED');
    const lk = new Room();
    await expect(
      lk.connect(server.env.LIVEKIT_URL, dana.ticket, { autoSubscribe: false, dynacast: true }),
    ).rejects.toBeTruthy();
    // Waiting sockets get no room traffic and cannot act.
    expect(
      await request(dana.socket, 'chat:send', { clientId: 'x1', text: 'hi' }, 1000).catch(() => 'no answer'),
    ).toBe('no answer');

    const admitted = nextEvent(dana.socket, 'lobby:admitted');
    const emptied = nextEvent(host, 'lobby:update', (u) => u.waiting.length === 0);
    expect(await request(host, 'lobby:admit', { identity: dana.identity })).toMatchObject({
      ok: true,
      data: { count: 1 },
    });
    const admission = await admitted;
    expect(admission).toMatchObject({ identity: dana.identity, role: 'participant' });
    await emptied;
    const inside = await connectRaw(server.url, admission.token);
    sockets.push(inside);
    expect((await firstSync(inside)).self).toMatchObject({ identity: dana.identity });
    // Admitted for this meeting: the token route now issues a room token.
    const again = await joinRoomAsBrowser(db, keys(), {
      slug: room,
      sessionHash: 'd'.repeat(64),
      displayName: 'Dana',
      ttlSeconds: 600,
    });
    expect(again.state).toBe('joined');
  });

  test('deny: the waiting browser is told and disconnected; closing a tab leaves the list', async () => {
    const room = await lobbyRoom();
    const host = await connectAs(room, 'ann', 'host');
    const both = nextEvent(host, 'lobby:update', (u) => u.waiting.length === 2);
    const eve = await knock(room, 'e', 'Eve');
    const fay = await knock(room, 'f', 'Fay');
    await both;
    const denied = nextEvent(eve.socket, 'lobby:denied');
    const gone = new Promise((resolve) => eve.socket.once('disconnect', resolve));
    expect(await request(host, 'lobby:deny', { identity: eve.identity })).toMatchObject({ ok: true });
    expect(await denied).toMatchObject({ by: { identity: 'ann' } });
    await gone;
    const left = nextEvent(host, 'lobby:update', (u) => u.waiting.length === 0);
    fay.socket.close();
    await left;
    // A participant cannot admit.
    const bob = await connectAs(room, 'bob');
    expect(await request(bob, 'lobby:admit', { all: true })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});
