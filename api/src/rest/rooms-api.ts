import { randomUUID } from 'node:crypto';
import { type ParticipantInfo, ParticipantInfo_State, TrackSource, TrackType } from 'livekit-server-sdk';
import type { TActor } from '../admin/schemas';
import { AppError } from '../errors';
import { issueLobbyTicket } from '../lobby/lobby-ticket';
import { moderateRoom } from '../moderation/moderate-room';
import { assertMayEnter, isInMeeting } from '../moderation/room-lock';
import { assertNotRemoved } from '../moderation/room-members';
import { postSystemMessage } from '../realtime/internal-client';
import {
  activeRoomIds,
  createConfiguredRoom,
  deleteRoomRecord,
  listRoomsPage,
  type TRoomSettings,
  updateRoomSettings,
} from '../rooms/manage-rooms';
import type { TRoomRecord } from '../rooms/repository';
import { getRoomOrThrow } from '../rooms/room-service';
import { ZRoomSlug } from '../rooms/schemas';
import { issueJoinToken } from '../tokens/issue-join-token';
import type { TApiContext } from './api-context';
import { buildJoinUrl } from './join-link';
import { issueJoinLinkTicket } from './join-link-ticket';
import type { TCreateRoomBody, TCreateTokenBody, TParticipant, TRoom, TUpdateRoomBody } from './schemas';

/** Decodes a path segment once; a malformed escape is kept as is (and then fails validation). */
export function safeDecode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** A room path parameter: anything that is not a valid room name cannot exist. */
export function parseRoomParam(raw: string): string {
  const parsed = ZRoomSlug.safeParse(safeDecode(raw));
  if (!parsed.success) throw new AppError('ROOM_NOT_FOUND');
  return parsed.data;
}

export function toRoomView(ctx: TApiContext, room: TRoomRecord, active: boolean): TRoom {
  return {
    id: room.id,
    name: room.slug,
    displayName: room.displayName,
    maxParticipants: room.maxParticipants,
    emptyTimeoutSeconds: room.emptyTimeoutSec,
    lobbyEnabled: room.lobbyEnabled,
    recordingAllowed: room.recordingAllowed,
    locked: room.locked,
    metadata: (room.metadata as Record<string, unknown> | null) ?? null,
    active,
    url: new URL(`/r/${room.slug}`, ctx.env.PUBLIC_URL).toString(),
    createdAt: room.createdAt.toISOString(),
    updatedAt: room.updatedAt.toISOString(),
  };
}

function settingsFrom(body: Omit<TUpdateRoomBody, 'locked'> & { locked?: boolean }): TRoomSettings {
  return {
    displayName: body.displayName,
    maxParticipants: body.maxParticipants,
    emptyTimeoutSec: body.emptyTimeoutSeconds,
    lobbyEnabled: body.lobbyEnabled,
    recordingAllowed: body.recordingAllowed,
    locked: body.locked,
    metadata: body.metadata,
  };
}

async function roomView(ctx: TApiContext, room: TRoomRecord): Promise<TRoom> {
  return toRoomView(ctx, room, (await activeRoomIds(ctx.db, [room.id])).has(room.id));
}

export async function apiCreateRoom(ctx: TApiContext, body: TCreateRoomBody): Promise<TRoom> {
  const room = await createConfiguredRoom(ctx.db, { slug: body.name, ...settingsFrom(body) });
  return toRoomView(ctx, room, false);
}

export async function apiListRooms(
  ctx: TApiContext,
  query: { cursor?: string; limit: number; active?: 'true' | 'false' },
): Promise<{ data: TRoom[]; nextCursor: string | null }> {
  const { rooms, nextCursor } = await listRoomsPage(ctx.db, {
    cursor: query.cursor,
    limit: query.limit,
    active: query.active === undefined ? undefined : query.active === 'true',
  });
  const active = await activeRoomIds(
    ctx.db,
    rooms.map((r) => r.id),
  );
  return { data: rooms.map((r) => toRoomView(ctx, r, active.has(r.id))), nextCursor };
}

export async function apiGetRoom(ctx: TApiContext, slug: string): Promise<TRoom> {
  return roomView(ctx, await getRoomOrThrow(ctx.db, slug));
}

/**
 * Plain settings are stored; a change of `locked` or `lobbyEnabled` is a moderation action and
 * goes through the one moderation path (people in the room are told live, the audit log names
 * the API key, turning the lobby off lets whoever waits in), exactly as from the room or the
 * dashboard. Setting either to the value it already has changes nothing and is not audited.
 */
export async function apiUpdateRoom(
  ctx: TApiContext,
  actor: TActor,
  slug: string,
  body: TUpdateRoomBody,
): Promise<TRoom> {
  const { locked, lobbyEnabled, ...plain } = body;
  const current = await getRoomOrThrow(ctx.db, slug);
  if (Object.values(plain).some((value) => value !== undefined)) {
    await updateRoomSettings(ctx.db, slug, settingsFrom(plain));
  }
  if (locked !== undefined && locked !== current.locked) {
    await moderateRoom(ctx.moderation, actor, slug, { kind: 'lock', locked });
  }
  if (lobbyEnabled !== undefined && lobbyEnabled !== current.lobbyEnabled) {
    await moderateRoom(ctx.moderation, actor, slug, { kind: 'lobby', enabled: lobbyEnabled });
  }
  return roomView(ctx, await getRoomOrThrow(ctx.db, slug));
}

/** The audit-log actor for an API key. */
export function apiKeyActor(principal: { prefix: string; name: string }): TActor {
  return { type: 'api_key', id: principal.prefix, label: principal.name };
}

/**
 * Ends the meeting for everyone through the moderation domain (participants see "ended", LiveKit
 * deleteRoom, audit log), then deletes the room and its history.
 */
export async function apiDeleteRoom(ctx: TApiContext, actor: TActor, slug: string): Promise<void> {
  await moderateRoom(ctx.moderation, actor, slug, { kind: 'end' });
  await deleteRoomRecord(ctx.db, slug);
}

/**
 * A LiveKit token from the one role policy, plus a link that opens the meeting for this user.
 * With the room's lobby on, a participant or viewer who is not let in yet (admitted, or already in
 * the meeting) gets a lobby ticket instead, unless the integrator says `skipLobby`: they hold
 * nothing that joins the SFU until a host admits them.
 */
export async function apiCreateToken(ctx: TApiContext, slug: string, body: TCreateTokenBody) {
  const room = await getRoomOrThrow(ctx.db, slug);
  // Someone a host removed from this meeting gets no new token, from any route.
  const decision = await assertNotRemoved(ctx.db, room.id, body.identity);
  // Locked: a token for someone already in the meeting (a refresh) is fine, a newcomer is refused.
  await assertMayEnter(ctx.db, room, body.identity, body.role);
  const common = {
    livekitUrl: ctx.env.LIVEKIT_PUBLIC_URL,
    realtimeUrl: ctx.env.REALTIME_PUBLIC_URL,
    room: room.slug,
    identity: body.identity,
    name: body.name,
    role: body.role,
  };
  if (
    room.lobbyEnabled &&
    body.role !== 'host' &&
    !body.skipLobby &&
    !decision.isAdmitted &&
    !(await isInMeeting(ctx.db, room.id, body.identity))
  ) {
    const lobby = await issueLobbyTicket(ctx.livekitKeys, {
      room: room.slug,
      identity: body.identity,
      name: body.name,
      role: body.role,
      ttlSeconds: body.ttlSeconds,
    });
    return {
      state: 'waiting' as const,
      lobbyTicket: lobby.ticket,
      expiresAt: lobby.expiresAt,
      joinUrl: buildJoinUrl(ctx.env.PUBLIC_URL, room.slug, lobby.ticket, body.skipPrejoin),
      joinUrlExpiresAt: lobby.expiresAt,
      ...common,
    };
  }
  // Applies the room's limits in the SFU before anyone joins (a no-op when it is already live).
  await ctx.roomAdmin.ensureRoom({
    name: room.slug,
    emptyTimeout: room.emptyTimeoutSec,
    maxParticipants: room.maxParticipants,
  });
  const identity = { room: room.slug, identity: body.identity, name: body.name, role: body.role };
  // The token joins now and is short-lived like every join token; the link may wait for hours.
  const token = await issueJoinToken(ctx.livekitKeys, {
    ...identity,
    ttlSeconds: Math.min(body.ttlSeconds, ctx.env.TOKEN_TTL_SECONDS),
  });
  const link = await issueJoinLinkTicket(ctx.livekitKeys, { ...identity, ttlSeconds: body.ttlSeconds });
  return {
    state: 'joined' as const,
    token: token.token,
    expiresAt: token.expiresAt,
    joinUrl: buildJoinUrl(ctx.env.PUBLIC_URL, room.slug, link.ticket, body.skipPrejoin),
    joinUrlExpiresAt: link.expiresAt,
    ...common,
  };
}

const TRACK_SOURCES: Record<number, TParticipant['tracks'][number]['source']> = {
  [TrackSource.CAMERA]: 'camera',
  [TrackSource.MICROPHONE]: 'microphone',
  [TrackSource.SCREEN_SHARE]: 'screen_share',
  [TrackSource.SCREEN_SHARE_AUDIO]: 'screen_share_audio',
};

const STATES: Record<number, TParticipant['state']> = {
  [ParticipantInfo_State.JOINING]: 'joining',
  [ParticipantInfo_State.JOINED]: 'joined',
  [ParticipantInfo_State.ACTIVE]: 'active',
  [ParticipantInfo_State.DISCONNECTED]: 'disconnected',
};

export function toParticipantView(p: ParticipantInfo): TParticipant {
  const joinedAt = Number(p.joinedAt ?? 0);
  return {
    identity: p.identity,
    name: p.name || p.identity,
    role: p.attributes?.role ?? null,
    state: STATES[p.state] ?? 'joined',
    joinedAt: joinedAt > 0 ? new Date(joinedAt * 1000).toISOString() : null,
    tracks: p.tracks.map((t) => ({
      sid: t.sid,
      kind: t.type === TrackType.AUDIO ? 'audio' : t.type === TrackType.VIDEO ? 'video' : 'data',
      source: TRACK_SOURCES[t.source] ?? 'unknown',
      muted: t.muted,
    })),
  };
}

export async function apiListParticipants(ctx: TApiContext, slug: string) {
  await getRoomOrThrow(ctx.db, slug);
  const participants = await ctx.roomAdmin.listParticipants(slug);
  return { data: participants.map(toParticipantView) };
}

/** Removes a participant through the moderation domain: disconnected, barred from rejoining this meeting, audited. */
export async function apiRemoveParticipant(
  ctx: TApiContext,
  actor: TActor,
  slug: string,
  identity: string,
): Promise<void> {
  await moderateRoom(ctx.moderation, actor, slug, { kind: 'remove', identity });
}

/** Mutes or unmutes through the moderation domain (the participant is told live; audited). */
export async function apiMuteParticipant(
  ctx: TApiContext,
  actor: TActor,
  slug: string,
  identity: string,
  change: { audio?: boolean; video?: boolean },
): Promise<TParticipant> {
  await moderateRoom(ctx.moderation, actor, slug, { kind: 'mute', identity, ...change });
  const participant = (await ctx.roomAdmin.listParticipants(slug)).find((p) => p.identity === identity);
  if (!participant) throw new AppError('NOT_FOUND', 'No such participant in this room right now.');
  return toParticipantView(participant);
}

/** Past and current meetings of a room, newest first, with who attended when. */
export async function apiListSessions(
  ctx: TApiContext,
  slug: string,
  query: { cursor?: string; limit: number },
) {
  const room = await getRoomOrThrow(ctx.db, slug);
  const rows = await ctx.db.meeting.findMany({
    where: { roomId: room.id },
    include: { attendances: { orderBy: { joinedAt: 'asc' } } },
    orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, query.limit);
  return {
    data: page.map((m) => ({
      id: m.id,
      startedAt: m.startedAt.toISOString(),
      endedAt: m.endedAt?.toISOString() ?? null,
      peakParticipants: m.peakParticipants,
      attendance: m.attendances.map((a) => ({
        identity: a.identity,
        name: a.displayName,
        role: a.role,
        joinedAt: a.joinedAt.toISOString(),
        leftAt: a.leftAt?.toISOString() ?? null,
      })),
    })),
    nextCursor: rows.length > query.limit ? page[page.length - 1]!.id : null,
  };
}

/** Chat history ascending by seq; `after` is the last seq the caller has. */
export async function apiListMessages(
  ctx: TApiContext,
  slug: string,
  query: { after?: number; limit: number },
) {
  const room = await getRoomOrThrow(ctx.db, slug);
  const rows = await ctx.db.chatMessage.findMany({
    where: { roomId: room.id, ...(query.after === undefined ? {} : { seq: { gt: query.after } }) },
    orderBy: { seq: 'asc' },
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return {
    data: page.map((m) => ({
      id: m.id,
      seq: m.seq,
      kind: m.kind,
      senderIdentity: m.senderIdentity,
      senderName: m.senderName,
      text: m.body,
      createdAt: m.createdAt.toISOString(),
    })),
    nextCursor: rows.length > query.limit ? page[page.length - 1]!.seq : null,
  };
}

/** Stores a system message in the room's chat and broadcasts it live, through the realtime server. */
export async function apiPostMessage(ctx: TApiContext, slug: string, body: { text: string }) {
  await getRoomOrThrow(ctx.db, slug);
  const message = await postSystemMessage(ctx.realtime, slug, {
    clientId: `api-${randomUUID()}`,
    text: body.text,
  });
  return {
    id: message.id,
    seq: message.seq,
    kind: message.kind,
    senderIdentity: message.senderIdentity,
    senderName: message.senderName,
    text: message.text,
    createdAt: message.createdAt,
  };
}
