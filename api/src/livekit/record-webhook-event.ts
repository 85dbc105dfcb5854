import { TrackSource, TrackType, type WebhookEvent, WebhookReceiver } from 'livekit-server-sdk';
import { appendAdminEvent } from '../admin/events';
import type { Db, Prisma } from '../db/client';
import { AppError } from '../errors';
import { isUniqueViolation } from '../rooms/repository';
import type { TLivekitKeys } from '../tokens/issue-join-token';
import { ZRole } from '../tokens/policy';
import { enqueueDomainEvent } from '../webhooks/enqueue';

/** Verifies a LiveKit webhook (JWT in Authorization whose sha256 claim covers the raw body). */
export async function verifyLivekitWebhook(
  keys: TLivekitKeys,
  rawBody: string,
  authorization: string | null,
): Promise<WebhookEvent> {
  if (!authorization) throw new AppError('UNAUTHENTICATED', 'Missing webhook signature.');
  try {
    return await new WebhookReceiver(keys.apiKey, keys.apiSecret).receive(rawBody, authorization);
  } catch {
    throw new AppError('UNAUTHENTICATED', 'Invalid webhook signature.');
  }
}

export type TWebhookOutcome = 'recorded' | 'duplicate' | 'ignored';

function toDate(unixSeconds: bigint | number | undefined, fallback: Date): Date {
  const n = Number(unixSeconds ?? 0);
  return n > 0 ? new Date(n * 1000) : fallback;
}

/**
 * Records room/participant lifecycle from a verified LiveKit webhook. Idempotent on the event id:
 * the receipt row and the effect commit in one transaction, so a redelivery is a no-op.
 */
export async function recordLivekitWebhookEvent(db: Db, event: WebhookEvent): Promise<TWebhookOutcome> {
  const handled = [
    'room_started',
    'room_finished',
    'participant_joined',
    'participant_left',
    'track_published',
    'track_unpublished',
  ];
  if (!event.id || !handled.includes(event.event)) return 'ignored';
  const at = toDate(event.createdAt, new Date());
  try {
    await db.$transaction(async (tx) => {
      await tx.livekitWebhookReceipt.create({ data: { eventId: event.id, event: event.event } });
      const lkRoom = event.room;
      if (!lkRoom?.name || !lkRoom.sid) return;
      // Only a start or a join brings a room into being: a late leave, finish or track event for
      // a room deleted meanwhile must not bring it back.
      const mayCreate = event.event === 'room_started' || event.event === 'participant_joined';
      if (!mayCreate && !(await tx.room.findUnique({ where: { slug: lkRoom.name }, select: { id: true } })))
        return;
      const room = await tx.room.upsert({
        where: { slug: lkRoom.name },
        create: { slug: lkRoom.name, displayName: lkRoom.name, hostSessionHash: null },
        update: {},
      });
      const meeting = await tx.meeting.upsert({
        where: { livekitRoomSid: lkRoom.sid },
        create: { roomId: room.id, livekitRoomSid: lkRoom.sid, startedAt: toDate(lkRoom.creationTime, at) },
        update: {},
      });
      // Outgoing webhooks: enqueued in this transaction, so they exist exactly when the change does.
      const roomRef = { id: room.id, name: room.slug };
      const meetingRef = { id: meeting.id, startedAt: meeting.startedAt.toISOString() };
      if (event.event === 'room_started') {
        await enqueueDomainEvent(
          tx,
          'room.started',
          { room: roomRef, meeting: meetingRef },
          { occurredAt: at },
        );
        // Admin live feed (SSE): committed with the change, replayable by id.
        await appendAdminEvent(tx, 'room.started', room.slug, {
          displayName: room.displayName,
          meeting: meetingRef,
        });
      }
      if (event.event === 'room_finished') {
        await tx.meeting.update({ where: { id: meeting.id }, data: { endedAt: at } });
        await tx.attendance.updateMany({
          where: { meetingId: meeting.id, leftAt: null },
          data: { leftAt: at },
        });
        await closePublishedTracks(tx, { meetingId: meeting.id }, at);
        await enqueueDomainEvent(
          tx,
          'room.ended',
          { room: roomRef, meeting: { ...meetingRef, endedAt: at.toISOString() } },
          { occurredAt: at },
        );
        await appendAdminEvent(tx, 'room.finished', room.slug, {
          meeting: { ...meetingRef, endedAt: at.toISOString() },
        });
        return;
      }
      const p = event.participant;
      if (!p?.sid) return;
      if (event.event === 'track_published' || event.event === 'track_unpublished') {
        await recordTrackChange(tx, event, { meetingId: meeting.id, slug: room.slug, at });
        return;
      }
      if (event.event === 'participant_joined') {
        // Hidden participants (the embedded recorder, an Egress worker) attend nobody's meeting:
        // they are not counted in the overview, the peak or the participant-minutes.
        if (p.permission?.hidden) return;
        const role = ZRole.safeParse(p.attributes?.role);
        const attendance = await tx.attendance.upsert({
          where: { livekitParticipantSid: p.sid },
          create: {
            roomId: room.id,
            meetingId: meeting.id,
            identity: p.identity,
            displayName: p.name || p.identity,
            role: role.success ? role.data : 'participant',
            livekitParticipantSid: p.sid,
            joinedAt: toDate(p.joinedAt, at),
          },
          update: {},
        });
        const present = await tx.attendance.count({ where: { meetingId: meeting.id, leftAt: null } });
        if (present > meeting.peakParticipants) {
          await tx.meeting.update({ where: { id: meeting.id }, data: { peakParticipants: present } });
        }
        await enqueueDomainEvent(
          tx,
          'participant.joined',
          { room: roomRef, meeting: { id: meeting.id }, participant: participantRef(attendance) },
          { occurredAt: at },
        );
        await appendAdminEvent(tx, 'participant.joined', room.slug, {
          displayName: room.displayName,
          meeting: meetingRef,
          participant: participantRef(attendance),
        });
      } else if (event.event === 'participant_left') {
        await tx.attendance.updateMany({
          where: { livekitParticipantSid: p.sid, leftAt: null },
          data: { leftAt: at },
        });
        await closePublishedTracks(tx, { livekitParticipantSid: p.sid }, at);
        const attendance = await tx.attendance.findUnique({ where: { livekitParticipantSid: p.sid } });
        if (attendance) {
          await enqueueDomainEvent(
            tx,
            'participant.left',
            { room: roomRef, meeting: { id: meeting.id }, participant: participantRef(attendance) },
            { occurredAt: at },
          );
          await appendAdminEvent(tx, 'participant.left', room.slug, {
            meeting: meetingRef,
            participant: participantRef(attendance),
          });
        }
      }
    });
    return 'recorded';
  } catch (error) {
    if (isUniqueViolation(error)) return 'duplicate';
    // The room was deleted while this event was being recorded (its meeting and attendance went
    // with it, so an update found nothing or a new row lost its parent): nothing is left to record.
    const name = event.room?.name;
    if (isMissingRowError(error) && name && !(await db.room.findUnique({ where: { slug: name } })))
      return 'ignored';
    throw error;
  }
}

type Tx = Prisma.TransactionClient;

const TRACK_SOURCES: Record<number, string> = {
  [TrackSource.CAMERA]: 'camera',
  [TrackSource.MICROPHONE]: 'microphone',
  [TrackSource.SCREEN_SHARE]: 'screen_share',
  [TrackSource.SCREEN_SHARE_AUDIO]: 'screen_share_audio',
};

/**
 * Keeps PublishedTrack in step with the SFU. LiveKit may deliver the two webhooks of one track in
 * either order: whichever comes second finds the row by sid, and a publish that arrives after its
 * unpublish changes nothing.
 */
async function recordTrackChange(
  tx: Tx,
  event: WebhookEvent,
  ctx: { meetingId: string; slug: string; at: Date },
): Promise<void> {
  const p = event.participant;
  const track = event.track;
  if (!p?.sid || !track?.sid) return;
  const fields = {
    meetingId: ctx.meetingId,
    livekitParticipantSid: p.sid,
    identity: p.identity,
    source: TRACK_SOURCES[track.source] ?? 'unknown',
    kind: track.type === TrackType.VIDEO ? 'video' : 'audio',
    publishedAt: ctx.at,
  };
  if (event.event === 'track_published') {
    if (await tx.publishedTrack.findUnique({ where: { sid: track.sid }, select: { sid: true } })) return;
    await tx.publishedTrack.create({ data: { sid: track.sid, ...fields } });
    await appendAdminEvent(tx, 'track.published', ctx.slug, {
      identity: p.identity,
      track: { sid: track.sid, source: fields.source, kind: fields.kind },
    });
    return;
  }
  await tx.publishedTrack.upsert({
    where: { sid: track.sid },
    create: { sid: track.sid, ...fields, unpublishedAt: ctx.at },
    update: { unpublishedAt: ctx.at },
  });
  await appendAdminEvent(tx, 'track.unpublished', ctx.slug, {
    identity: p.identity,
    track: { sid: track.sid },
  });
}

/** A participant who leaves, or a meeting that ends, publishes nothing any more. */
function closePublishedTracks(
  tx: Tx,
  where: { meetingId: string } | { livekitParticipantSid: string },
  at: Date,
) {
  return tx.publishedTrack.updateMany({
    where: { ...where, unpublishedAt: null },
    data: { unpublishedAt: at },
  });
}

/** Prisma's "record to update not found" (P2025) and "foreign key constraint failed" (P2003). */
function isMissingRowError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === 'P2025' || code === 'P2003';
}

function participantRef(a: {
  identity: string;
  displayName: string;
  role: string;
  joinedAt: Date;
  leftAt: Date | null;
}) {
  return {
    identity: a.identity,
    name: a.displayName,
    role: a.role,
    joinedAt: a.joinedAt.toISOString(),
    leftAt: a.leftAt ? a.leftAt.toISOString() : null,
  };
}
