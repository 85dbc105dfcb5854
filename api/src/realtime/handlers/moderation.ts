import type { TActor } from '../../admin/schemas';
import { AppError } from '../../errors';
import { moderateRoom } from '../../moderation/moderate-room';
import type { TModerationAction } from '../../moderation/schemas';
import { permissionsFor } from '../../tokens/policy';
import type { THostActionResult } from '../contract';
import { onEvent } from '../handle-event';
import type { TRealtimeContext, TSocket } from '../types';

/**
 * Runs a host action through the one moderation domain (audited like admin and REST). The role
 * is read at call time from `socket.data.join`, which role changes update live.
 */
export async function runHostAction(
  ctx: TRealtimeContext,
  socket: TSocket,
  action: TModerationAction,
): Promise<THostActionResult> {
  const { join } = socket.data;
  if (!permissionsFor(join.role).canModerate) throw new AppError('FORBIDDEN', 'Only hosts can do this.');
  const actor: TActor = { type: 'host', id: join.identity, label: join.name };
  const result = await moderateRoom(ctx.moderation, actor, join.room, action);
  return { kind: result.kind, ok: true };
}

/** `moderation:*`: in-room host controls. */
export function registerModerationHandlers(ctx: TRealtimeContext, socket: TSocket): void {
  const run = (action: TModerationAction) => runHostAction(ctx, socket, action);
  onEvent(ctx, socket, 'moderation:mute', (p) => run({ kind: 'mute', identity: p.identity, ...media(p) }));
  onEvent(ctx, socket, 'moderation:mute-all', (p) => run({ kind: 'mute_all', ...media(p) }));
  onEvent(ctx, socket, 'moderation:ask-unmute', (p) =>
    run({ kind: 'ask_unmute', identity: p.identity, ...media(p) }),
  );
  onEvent(ctx, socket, 'moderation:remove', (p) => run({ kind: 'remove', identity: p.identity }));
  onEvent(ctx, socket, 'moderation:lock', () => run({ kind: 'lock', locked: true }));
  onEvent(ctx, socket, 'moderation:unlock', () => run({ kind: 'lock', locked: false }));
  onEvent(ctx, socket, 'moderation:lobby', (p) => run({ kind: 'lobby', enabled: p.enabled }));
  onEvent(ctx, socket, 'moderation:end', () => run({ kind: 'end' }));
  onEvent(ctx, socket, 'moderation:set-role', (p) =>
    run({ kind: 'set_role', identity: p.identity, role: p.role }),
  );
}

/** Neither given = the microphone; only `true` is accepted (hosts never unmute remotely). */
function media(p: { audio?: true; video?: true }): { audio?: boolean; video?: boolean } {
  if (!p.audio && !p.video) return { audio: true };
  return { ...(p.audio ? { audio: true } : {}), ...(p.video ? { video: true } : {}) };
}
