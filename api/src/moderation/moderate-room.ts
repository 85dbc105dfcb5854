import { TrackSource, TrackType } from 'livekit-server-sdk';
import { recordAudit } from '../admin/audit-log';
import { appendAdminEvent } from '../admin/events';
import type { TActor } from '../admin/schemas';
import type { Db } from '../db/client';
import { AppError, isAppError } from '../errors';
import type { TRoomAdmin } from '../livekit/room-admin';
import { getRoomOrThrow } from '../rooms/room-service';
import type { TModerationControls } from './livekit-controls';
import {
  clearMembers,
  clearRemoved,
  getMemberDecision,
  markAdmitted,
  markRemoved,
  restoreMemberRole,
  setMemberRole,
} from './room-members';
import {
  type TModerationAction,
  type TModerationNotice,
  type TModerationNotifier,
  type TModerator,
  ZModerationAction,
} from './schemas';

export interface TModerationDeps {
  db: Db;
  roomAdmin: TRoomAdmin;
  controls: TModerationControls;
  /**
   * Reaches the realtime service (in-process there, internal HTTP elsewhere). Without it, actions
   * still happen in LiveKit and the database but nobody is told live.
   */
  notifier?: TModerationNotifier;
}

export type TModerationResult = { kind: TModerationAction['kind']; room: string; ok: true };

const isNotFound = (error: unknown) => isAppError(error) && error.code === 'NOT_FOUND';

/** Runs a LiveKit call on a participant; false when they are not in the SFU (e.g. realtime only). */
async function inLivekit(fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/**
 * The one moderation entry point (admin dashboard, REST, in-room host controls). The caller has
 * already decided the actor may moderate this room; this performs the action (LiveKit, database,
 * realtime service) and writes the audit log (who, what, when, target) plus a live admin event.
 * A failed action is not audited. A participant-targeted action fails NOT_FOUND when the
 * participant is neither in LiveKit nor connected to the realtime service.
 */
export async function moderateRoom(
  deps: TModerationDeps,
  actor: TActor,
  roomSlug: string,
  input: TModerationAction,
): Promise<TModerationResult> {
  const action = ZModerationAction.parse(input);
  const room = await getRoomOrThrow(deps.db, roomSlug);
  const by: TModerator = { identity: actor.id, name: actor.label };
  // The realtime service being down must not block moderation in LiveKit and the database.
  const notify = async (notice: TModerationNotice) => {
    if (!deps.notifier) return 0;
    try {
      return (await deps.notifier.notify(notice)).sockets;
    } catch (error) {
      if (isAppError(error) && error.code === 'UNAVAILABLE') return 0;
      throw error;
    }
  };
  const requireSomeone = (found: boolean) => {
    if (!found) throw new AppError('NOT_FOUND', 'No such participant in this room right now.');
  };
  let target: string | null = null;
  let details: Record<string, unknown> = {};
  switch (action.kind) {
    case 'mute_track':
      await deps.controls.muteTrack(room.slug, action.identity, action.trackSid, action.muted);
      target = action.identity;
      details = { trackSid: action.trackSid, muted: action.muted };
      break;
    case 'mute': {
      if (action.audio === undefined && action.video === undefined) {
        throw new AppError('VALIDATION_FAILED', 'Say which of audio and video to change.');
      }
      await deps.roomAdmin.muteParticipant(room.slug, action.identity, {
        audio: action.audio,
        video: action.video,
      });
      if (action.audio || action.video) {
        await notify({
          kind: 'muted',
          room: room.slug,
          identity: action.identity,
          by,
          audio: action.audio === true,
          video: action.video === true,
        });
      }
      target = action.identity;
      details = { audio: action.audio, video: action.video };
      break;
    }
    case 'mute_all': {
      const audio = action.audio ?? action.video === undefined;
      const video = action.video ?? false;
      const muted: string[] = [];
      for (const p of await deps.roomAdmin.listParticipants(room.slug)) {
        if (p.attributes?.role === 'host') continue;
        const needs = p.tracks.some(
          (t) =>
            !t.muted &&
            ((audio && t.type === TrackType.AUDIO && t.source !== TrackSource.SCREEN_SHARE_AUDIO) ||
              (video && t.type === TrackType.VIDEO && t.source !== TrackSource.SCREEN_SHARE)),
        );
        if (!needs) continue;
        const done = await inLivekit(() =>
          deps.roomAdmin.muteParticipant(room.slug, p.identity, {
            ...(audio ? { audio: true } : {}),
            ...(video ? { video: true } : {}),
          }),
        );
        if (!done) continue;
        muted.push(p.identity);
        await notify({ kind: 'muted', room: room.slug, identity: p.identity, by, audio, video });
      }
      details = { audio, video, muted };
      break;
    }
    case 'ask_unmute': {
      const audio = action.audio ?? action.video === undefined;
      const video = action.video ?? false;
      const sockets = await notify({
        kind: 'unmute_requested',
        room: room.slug,
        identity: action.identity,
        by,
        audio,
        video,
      });
      requireSomeone(sockets > 0 || !deps.notifier);
      target = action.identity;
      details = { audio, video };
      break;
    }
    case 'remove': {
      // Refuse new tokens and connections first, so a racing reconnect cannot slip back in.
      await markRemoved(deps.db, room.id, action.identity);
      try {
        // Realtime first: the browser learns why before LiveKit drops its media connection.
        const sockets = await notify({ kind: 'removed', room: room.slug, identity: action.identity, by });
        const inSfu = await inLivekit(() => deps.roomAdmin.removeParticipant(room.slug, action.identity));
        requireSomeone(inSfu || sockets > 0);
      } catch (error) {
        await clearRemoved(deps.db, room.id, action.identity);
        throw error;
      }
      target = action.identity;
      break;
    }
    case 'lock':
    case 'lobby': {
      const data = action.kind === 'lock' ? { locked: action.locked } : { lobbyEnabled: action.enabled };
      const updated = await deps.db.$transaction(async (tx) => {
        const row = await tx.room.update({ where: { id: room.id }, data });
        await appendAdminEvent(tx, 'room.updated', room.slug, data);
        return row;
      });
      await notify({
        kind: 'room_state',
        room: room.slug,
        locked: updated.locked,
        lobbyEnabled: updated.lobbyEnabled,
      });
      details = data;
      break;
    }
    case 'admit':
    case 'deny': {
      if (action.kind === 'admit') await markAdmitted(deps.db, room.id, action.identity);
      const decision = await getMemberDecision(deps.db, room.id, action.identity);
      const sockets = await notify(
        action.kind === 'admit'
          ? {
              kind: 'admitted',
              room: room.slug,
              identity: action.identity,
              ...(decision.role ? { role: decision.role } : {}),
              by,
            }
          : { kind: 'denied', room: room.slug, identity: action.identity, by },
      );
      if (action.kind === 'deny') requireSomeone(sockets > 0 || !deps.notifier);
      target = action.identity;
      break;
    }
    case 'end': {
      // Realtime first, so everyone sees "ended" rather than a dropped connection.
      await notify({ kind: 'ended', room: room.slug, by });
      await deps.roomAdmin.deleteRoom(room.slug);
      const endedAt = new Date();
      await deps.db.$transaction(async (tx) => {
        await tx.attendance.updateMany({
          where: { roomId: room.id, leftAt: null, meeting: { endedAt: null } },
          data: { leftAt: endedAt },
        });
        await tx.meeting.updateMany({ where: { roomId: room.id, endedAt: null }, data: { endedAt } });
      });
      await clearMembers(deps.db, room.id);
      break;
    }
    case 'set_role': {
      const inSfu = await inLivekit(() => deps.controls.setRole(room.slug, action.identity, action.role));
      requireSomeone(inSfu || deps.notifier !== undefined);
      // Persisted first: a reconnect (new token, new socket) must already get the new role.
      const previous = await getMemberDecision(deps.db, room.id, action.identity);
      await setMemberRole(deps.db, room.id, action.identity, action.role);
      try {
        const sockets = await notify({
          kind: 'role_changed',
          room: room.slug,
          identity: action.identity,
          role: action.role,
          by,
        });
        requireSomeone(inSfu || sockets > 0);
      } catch (error) {
        await restoreMemberRole(deps.db, room.id, action.identity, previous.role);
        throw error;
      }
      target = action.identity;
      details = { role: action.role };
      break;
    }
  }
  await recordAudit(deps.db, { actor, action: `room.${action.kind}`, room: room.slug, target, details });
  return { kind: action.kind, room: room.slug, ok: true };
}
