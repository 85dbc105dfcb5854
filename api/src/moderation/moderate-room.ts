import { recordAudit } from '../admin/audit-log';
import { appendAdminEvent } from '../admin/events';
import type { TActor } from '../admin/schemas';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import type { TRoomAdmin } from '../livekit/room-admin';
import { getRoomOrThrow } from '../rooms/room-service';
import type { TModerationControls } from './livekit-controls';
import { type TModerationAction, ZModerationAction } from './schemas';

export interface TModerationDeps {
  db: Db;
  roomAdmin: TRoomAdmin;
  controls: TModerationControls;
}

export type TModerationResult = { kind: TModerationAction['kind']; room: string; ok: true };

/**
 * The one moderation entry point (admin dashboard, REST, in-room host controls). The caller has
 * already decided the actor may moderate this room; this performs the action and writes the
 * audit log (who, what, when, target) plus a live admin event. A failed action is not audited.
 */
export async function moderateRoom(
  deps: TModerationDeps,
  actor: TActor,
  roomSlug: string,
  input: TModerationAction,
): Promise<TModerationResult> {
  const action = ZModerationAction.parse(input);
  const room = await getRoomOrThrow(deps.db, roomSlug);
  let target: string | null = null;
  let details: Record<string, unknown> = {};
  switch (action.kind) {
    case 'mute_track':
      await deps.controls.muteTrack(room.slug, action.identity, action.trackSid, action.muted);
      target = action.identity;
      details = { trackSid: action.trackSid, muted: action.muted };
      break;
    case 'mute':
      if (action.audio === undefined && action.video === undefined) {
        throw new AppError('VALIDATION_FAILED', 'Say which of audio and video to change.');
      }
      await deps.roomAdmin.muteParticipant(room.slug, action.identity, {
        audio: action.audio,
        video: action.video,
      });
      target = action.identity;
      details = { audio: action.audio, video: action.video };
      break;
    case 'remove':
      await deps.roomAdmin.removeParticipant(room.slug, action.identity);
      target = action.identity;
      break;
    case 'lock':
      await deps.db.$transaction(async (tx) => {
        await tx.room.update({ where: { id: room.id }, data: { locked: action.locked } });
        await appendAdminEvent(tx, 'room.updated', room.slug, { locked: action.locked });
      });
      details = { locked: action.locked };
      break;
    case 'end':
      await deps.roomAdmin.deleteRoom(room.slug);
      break;
    case 'set_role':
      await deps.controls.setRole(room.slug, action.identity, action.role);
      target = action.identity;
      details = { role: action.role };
      break;
  }
  await recordAudit(deps.db, { actor, action: `room.${action.kind}`, room: room.slug, target, details });
  return { kind: action.kind, room: room.slug, ok: true };
}
