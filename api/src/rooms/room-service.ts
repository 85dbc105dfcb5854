import type { Db } from '../db/client';
import { AppError } from '../errors';
import { issueLobbyTicket } from '../lobby/lobby-ticket';
import { assertMayEnter } from '../moderation/room-lock';
import { assertNotRemoved } from '../moderation/room-members';
import { issueJoinToken, type TJoinToken, type TLivekitKeys } from '../tokens/issue-join-token';
import type { TRole } from '../tokens/policy';
import { findRoomBySlug, insertRoom, type TRoomRecord } from './repository';
import { generateRoomSlug } from './slug';

export type { TRoomRecord };

/** Creates a room; the caller's browser session (if any) becomes its host. */
export async function createRoom(
  db: Db,
  input: { slug?: string; hostSessionHash: string | null },
): Promise<TRoomRecord> {
  if (input.slug) {
    const room = await insertRoom(db, {
      slug: input.slug,
      displayName: input.slug,
      hostSessionHash: input.hostSessionHash,
    });
    if (!room) throw new AppError('CONFLICT', 'A room with this name already exists.');
    return room;
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    const slug = generateRoomSlug();
    const room = await insertRoom(db, { slug, displayName: slug, hostSessionHash: input.hostSessionHash });
    if (room) return room;
  }
  throw new AppError('INTERNAL', 'Could not allocate a room name.');
}

export async function getRoomOrThrow(db: Db, slug: string): Promise<TRoomRecord> {
  const room = await findRoomBySlug(db, slug);
  if (!room) throw new AppError('ROOM_NOT_FOUND');
  return room;
}

/** Rooms are created on first visit: whoever opens an unknown slug first becomes its host. */
export async function getOrCreateRoom(db: Db, slug: string, sessionHash: string): Promise<TRoomRecord> {
  const existing = await findRoomBySlug(db, slug);
  if (existing) return existing;
  const created = await insertRoom(db, { slug, displayName: slug, hostSessionHash: sessionHash });
  // Lost a race with another first visitor: theirs wins, we join it.
  return created ?? getRoomOrThrow(db, slug);
}

/** A browser's role in a room. The browser never chooses it. */
export function roleForSession(room: TRoomRecord, sessionHash: string): TRole {
  return room.hostSessionHash !== null && room.hostSessionHash === sessionHash ? 'host' : 'participant';
}

export interface TJoinResult extends TJoinToken {
  state: 'joined';
  room: string;
  identity: string;
  name: string;
  role: TRole;
}

/** The room has a lobby: the browser waits with a lobby ticket until a host lets it in. */
export interface TLobbyResult {
  state: 'waiting';
  lobbyTicket: string;
  expiresAt: string;
  room: string;
  identity: string;
  name: string;
}

/**
 * Issues (or refreshes) a browser's join token for a room, creating the room on first visit.
 * Refuses identities a host removed from this meeting (FORBIDDEN) and non-hosts of a locked room
 * who are not already in the meeting (ROOM_LOCKED: a refresh from inside still works); with the
 * lobby on, a non-host not yet admitted gets a lobby ticket instead.
 * A role a host gave this identity during the meeting wins over the session's.
 */
export async function joinRoomAsBrowser(
  db: Db,
  keys: TLivekitKeys,
  input: { slug: string; sessionHash: string; displayName: string; ttlSeconds: number },
): Promise<TJoinResult | TLobbyResult> {
  const room = await getOrCreateRoom(db, input.slug, input.sessionHash);
  const identity = identityForSession(input.sessionHash);
  const decision = await assertNotRemoved(db, room.id, identity);
  const role = decision.role ?? roleForSession(room, input.sessionHash);
  await assertMayEnter(db, room, identity, role);
  if (room.lobbyEnabled && role !== 'host' && !decision.isAdmitted) {
    const { ticket, expiresAt } = await issueLobbyTicket(keys, {
      room: room.slug,
      identity,
      name: input.displayName,
    });
    return {
      state: 'waiting',
      lobbyTicket: ticket,
      expiresAt,
      room: room.slug,
      identity,
      name: input.displayName,
    };
  }
  const token = await issueJoinToken(keys, {
    room: room.slug,
    identity,
    name: input.displayName,
    role,
    ttlSeconds: input.ttlSeconds,
  });
  return { state: 'joined', ...token, room: room.slug, identity, name: input.displayName, role };
}

/** A stable, non-reversible participant identity for a browser session. */
export function identityForSession(sessionHash: string): string {
  return `p-${sessionHash.slice(0, 16)}`;
}
