/**
 * The live overview's publishers, track counts and recording state, fed by LiveKit's track
 * webhooks and recording transitions (shaped as the verified webhook delivers them; the browser
 * test drives the same path from a real livekit-server).
 */
import { TrackSource, TrackType, type WebhookEvent } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Db } from '../db/client';
import { prunePublishedTracks } from '../livekit/prune-tracks';
import { recordLivekitWebhookEvent } from '../livekit/record-webhook-event';
import { testDb, uniqueName } from '../realtime/testing';
import { applyRecordingEvent } from '../recording/control-recording';
import { insertRecording } from '../recording/repository';
import { latestAdminEventId, readAdminEventsAfter } from './events';
import { getLiveOverview } from './overview';

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(() => db.$disconnect());

const now = () => BigInt(Math.floor(Date.now() / 1000));

function lkEvent(
  slug: string,
  event: string,
  extra: {
    participant?: string;
    hidden?: boolean;
    track?: { sid: string; source: TrackSource; type: TrackType };
  } = {},
): WebhookEvent {
  return {
    event,
    id: uniqueName('EV'),
    createdAt: now(),
    room: { name: slug, sid: `RM_${slug}`, creationTime: now() },
    ...(extra.participant
      ? {
          participant: {
            sid: `PA_${extra.participant}_${slug}`,
            identity: extra.participant,
            name: extra.participant.toUpperCase(),
            attributes: {},
            joinedAt: now(),
            ...(extra.hidden ? { permission: { hidden: true, recorder: true } } : {}),
          },
        }
      : {}),
    ...(extra.track ? { track: extra.track } : {}),
  } as unknown as WebhookEvent;
}

const mic = (sid: string) => ({ sid, source: TrackSource.MICROPHONE, type: TrackType.AUDIO });
const camera = (sid: string) => ({ sid, source: TrackSource.CAMERA, type: TrackType.VIDEO });

async function liveRoom(slug: string) {
  const { rooms } = await getLiveOverview(db);
  return rooms.find((r) => r.slug === slug);
}

describe('live overview', () => {
  test('publishers and tracks follow track_published / track_unpublished, in either order', async () => {
    const slug = uniqueName('ov-tracks');
    const cursor = await latestAdminEventId(db);
    await recordLivekitWebhookEvent(db, lkEvent(slug, 'room_started'));
    await recordLivekitWebhookEvent(db, lkEvent(slug, 'participant_joined', { participant: 'ann' }));
    await recordLivekitWebhookEvent(db, lkEvent(slug, 'participant_joined', { participant: 'bob' }));
    // The embedded recorder joins hidden: nobody's attendee.
    await recordLivekitWebhookEvent(
      db,
      lkEvent(slug, 'participant_joined', { participant: 'recorder-x', hidden: true }),
    );
    expect(await db.attendance.count({ where: { identity: 'recorder-x' } })).toBe(0);
    const annMic = uniqueName('TR_mic');
    const annCam = uniqueName('TR_cam');
    expect(
      await recordLivekitWebhookEvent(
        db,
        lkEvent(slug, 'track_published', { participant: 'ann', track: mic(annMic) }),
      ),
    ).toBe('recorded');
    await recordLivekitWebhookEvent(
      db,
      lkEvent(slug, 'track_published', { participant: 'ann', track: camera(annCam) }),
    );

    let room = await liveRoom(slug);
    const ann = () => room?.participants.find((p) => p.identity === 'ann');
    const bob = () => room?.participants.find((p) => p.identity === 'bob');
    expect(ann()?.tracks).toEqual([
      { sid: annMic, source: 'microphone', kind: 'audio' },
      { sid: annCam, source: 'camera', kind: 'video' },
    ]);
    expect(bob()?.tracks).toEqual([]);
    expect(room?.participants.map((p) => p.identity)).toEqual(['ann', 'bob']);
    expect(room?.recording).toEqual({ state: 'idle' });

    // The feed carries both, in order, for the dashboard to apply without a reload.
    const events = (await readAdminEventsAfter(db, cursor)).filter((e) => e.room === slug);
    expect(events.map((e) => e.type)).toEqual([
      'room.started',
      'participant.joined',
      'participant.joined',
      'track.published',
      'track.published',
    ]);
    expect(events[4]?.data).toEqual({
      identity: 'ann',
      track: { sid: annCam, source: 'camera', kind: 'video' },
    });

    // Unpublish, then a late redelivery of the publish (a new event id): it stays unpublished.
    await recordLivekitWebhookEvent(
      db,
      lkEvent(slug, 'track_unpublished', { participant: 'ann', track: camera(annCam) }),
    );
    await recordLivekitWebhookEvent(
      db,
      lkEvent(slug, 'track_published', { participant: 'ann', track: camera(annCam) }),
    );
    room = await liveRoom(slug);
    expect(ann()?.tracks.map((t) => t.sid)).toEqual([annMic]);

    // An unpublish that overtakes its publish: the publish then changes nothing.
    const bobMic = uniqueName('TR_mic');
    await recordLivekitWebhookEvent(
      db,
      lkEvent(slug, 'track_unpublished', { participant: 'bob', track: mic(bobMic) }),
    );
    await recordLivekitWebhookEvent(
      db,
      lkEvent(slug, 'track_published', { participant: 'bob', track: mic(bobMic) }),
    );
    room = await liveRoom(slug);
    expect(bob()?.tracks).toEqual([]);

    // Leaving closes whatever the participant still had live; so does the meeting's end.
    await recordLivekitWebhookEvent(db, lkEvent(slug, 'participant_left', { participant: 'ann' }));
    expect(await db.publishedTrack.count({ where: { sid: annMic, unpublishedAt: null } })).toBe(0);
    const bobCam = uniqueName('TR_cam');
    await recordLivekitWebhookEvent(
      db,
      lkEvent(slug, 'track_published', { participant: 'bob', track: camera(bobCam) }),
    );
    expect((await liveRoom(slug))?.participants.map((p) => [p.identity, p.tracks.length])).toEqual([
      ['bob', 1],
    ]);
    await recordLivekitWebhookEvent(db, lkEvent(slug, 'room_finished'));
    expect(await db.publishedTrack.count({ where: { sid: bobCam, unpublishedAt: null } })).toBe(0);
    expect(await liveRoom(slug)).toBeUndefined();
  });

  test('a track webhook for a deleted room does not bring the room back', async () => {
    const slug = uniqueName('ov-gone');
    await recordLivekitWebhookEvent(db, lkEvent(slug, 'room_started'));
    await db.room.delete({ where: { slug } });
    await recordLivekitWebhookEvent(
      db,
      lkEvent(slug, 'track_published', { participant: 'ann', track: mic(uniqueName('TR')) }),
    );
    expect(await db.room.findUnique({ where: { slug } })).toBeNull();
  });

  test('recording transitions reach the overview and the feed', async () => {
    const slug = uniqueName('ov-rec');
    await recordLivekitWebhookEvent(db, lkEvent(slug, 'room_started'));
    const roomId = (await db.room.findUniqueOrThrow({ where: { slug } })).id;
    const row = await insertRecording(db, {
      roomId,
      startedBy: 'ann',
      startedByName: 'Ann',
      ownerInstance: null,
    });
    const cursor = await latestAdminEventId(db);
    const published: string[] = [];
    const deps = { db, publish: (_room: string, state: { state: string }) => published.push(state.state) };
    await applyRecordingEvent(deps, slug, row.id, 'started');
    expect(await liveRoom(slug)).toMatchObject({
      recording: { state: 'recording', recordingId: row.id, startedBy: { identity: 'ann', name: 'Ann' } },
    });
    await applyRecordingEvent(deps, slug, row.id, 'stop');
    await applyRecordingEvent(deps, slug, row.id, 'stopped', { durationSeconds: 3 });
    expect((await liveRoom(slug))?.recording).toEqual({ state: 'idle' });
    const feed = (await readAdminEventsAfter(db, cursor)).filter((e) => e.room === slug);
    expect(feed.map((e) => [e.type, (e.data.recording as { state: string }).state])).toEqual([
      ['recording', 'recording'],
      ['recording', 'stopping'],
      ['recording', 'idle'],
    ]);
    expect(published).toEqual(['recording', 'stopping', 'idle']);
  });

  test("a recording that failed in an earlier meeting is not this meeting's state", async () => {
    const slug = uniqueName('ov-old-fail');
    await recordLivekitWebhookEvent(db, lkEvent(slug, 'room_started'));
    const roomId = (await db.room.findUniqueOrThrow({ where: { slug } })).id;
    const row = await insertRecording(db, {
      roomId,
      startedBy: 'ann',
      startedByName: 'Ann',
      ownerInstance: null,
    });
    const deps = { db, publish: () => undefined };
    await applyRecordingEvent(deps, slug, row.id, 'fail', { failureReason: 'ffmpeg exited' });
    expect((await liveRoom(slug))?.recording).toMatchObject({ state: 'failed', reason: 'ffmpeg exited' });
    // The meeting ends; the next one (a new LiveKit room sid) starts clean.
    await recordLivekitWebhookEvent(db, lkEvent(slug, 'room_finished'));
    await db.recording.update({ where: { id: row.id }, data: { startedAt: new Date(Date.now() - 60_000) } });
    const next = {
      ...lkEvent(slug, 'room_started'),
      room: { name: slug, sid: `RM2_${slug}`, creationTime: now() },
    };
    await recordLivekitWebhookEvent(db, next as WebhookEvent);
    expect((await liveRoom(slug))?.recording).toEqual({ state: 'idle' });
  });

  test('tracks unpublished more than 30 days ago are pruned; live ones never are', async () => {
    const slug = uniqueName('ov-prune');
    await recordLivekitWebhookEvent(db, lkEvent(slug, 'room_started'));
    await recordLivekitWebhookEvent(db, lkEvent(slug, 'participant_joined', { participant: 'ann' }));
    const [old, live] = [uniqueName('TR_old'), uniqueName('TR_live')];
    await recordLivekitWebhookEvent(
      db,
      lkEvent(slug, 'track_published', { participant: 'ann', track: mic(old) }),
    );
    await recordLivekitWebhookEvent(
      db,
      lkEvent(slug, 'track_unpublished', { participant: 'ann', track: mic(old) }),
    );
    await recordLivekitWebhookEvent(
      db,
      lkEvent(slug, 'track_published', { participant: 'ann', track: camera(live) }),
    );
    const in31Days = new Date(Date.now() + 31 * 24 * 3600_000);
    expect(await prunePublishedTracks(db, in31Days)).toBeGreaterThanOrEqual(1);
    expect(await db.publishedTrack.findUnique({ where: { sid: old } })).toBeNull();
    expect(await db.publishedTrack.findUnique({ where: { sid: live } })).not.toBeNull();
  });
});
